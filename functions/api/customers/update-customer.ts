import { customerOperations } from '#shared/catalogue/api';
import { updateCustomer } from '#shared/catalogue/customers';
import { createApiHandler } from '#shared/http/handler';

/** PUT /v1/customers/{id}: replaces the whole customer. */
export const handler = createApiHandler(customerOperations.updateCustomer, async ({ ctx, params, body }) => ({
  data: await updateCustomer(ctx, params.id, body),
}));
