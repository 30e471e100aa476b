import { productOperations } from '#shared/catalogue/api';
import { updateProduct } from '#shared/catalogue/products';
import { createApiHandler } from '#shared/http/handler';

/** PUT /v1/products/{id}: replaces the whole product. */
export const handler = createApiHandler(productOperations.updateProduct, async ({ ctx, params, body }) => ({
  data: await updateProduct(ctx, params.id, body),
}));
