import { productOperations } from '#shared/catalogue/api';
import { deleteProduct } from '#shared/catalogue/products';
import { createApiHandler } from '#shared/http/handler';

/** DELETE /v1/products/{id} */
export const handler = createApiHandler(productOperations.deleteProduct, async ({ ctx, params }) => {
  await deleteProduct(ctx, params.id);
  return { data: { deleted: true } };
});
