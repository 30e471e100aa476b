import { productOperations } from '#shared/catalogue/api';
import { listProducts } from '#shared/catalogue/products';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/products?q&by&limit&cursor */
export const handler = createApiHandler(productOperations.listProducts, async ({ ctx, query }) => ({
  data: await listProducts(ctx, query),
}));
