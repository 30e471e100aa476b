import { customerOperations } from '#shared/catalogue/api';
import { listCustomers } from '#shared/catalogue/customers';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/customers?q&by&limit&cursor */
export const handler = createApiHandler(customerOperations.listCustomers, async ({ ctx, query }) => ({
  data: await listCustomers(ctx, query),
}));
