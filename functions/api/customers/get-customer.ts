import { customerOperations } from '#shared/catalogue/api';
import { getCustomer } from '#shared/catalogue/customers';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/customers/{id} */
export const handler = createApiHandler(customerOperations.getCustomer, async ({ ctx, params }) => ({
  data: await getCustomer(ctx, params.id),
}));
