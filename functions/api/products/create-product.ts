import { productOperations } from '#shared/catalogue/api';
import { createProduct } from '#shared/catalogue/products';
import { createApiHandler } from '#shared/http/handler';

const productPath = (id: string) => `/v1/products/${encodeURIComponent(id)}`;

/** POST /v1/products → 201; the idempotency record is completed in the creation's transaction. */
export const handler = createApiHandler(productOperations.createProduct, async (request) => {
  const { idempotency } = request;
  const saved = await createProduct(request.ctx, request.body, {
    idempotency: idempotency && {
      scope: idempotency.scope,
      storedResponse: (created) =>
        idempotency.storedResponse({
          statusCode: 201,
          data: created,
          headers: { location: productPath(created.id) },
        }),
    },
  });
  request.markIdempotencyStored();
  return { statusCode: 201, data: saved, headers: { location: productPath(saved.id) } };
});
