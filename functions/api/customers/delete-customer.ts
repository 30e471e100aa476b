import { customerOperations } from '#shared/catalogue/api';
import { deleteCustomer } from '#shared/catalogue/customers';
import { createApiHandler } from '#shared/http/handler';

/** DELETE /v1/customers/{id} */
export const handler = createApiHandler(customerOperations.deleteCustomer, async ({ ctx, params }) => {
  await deleteCustomer(ctx, params.id);
  return { data: { deleted: true } };
});
