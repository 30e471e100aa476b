import { productOperations } from '#shared/catalogue/api';
import { getProduct } from '#shared/catalogue/products';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/products/{id} */
export const handler = createApiHandler(productOperations.getProduct, async ({ ctx, params }) => ({
  data: await getProduct(ctx, params.id),
}));
