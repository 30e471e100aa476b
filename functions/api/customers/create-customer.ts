import { customerOperations } from '#shared/catalogue/api';
import { createCustomer } from '#shared/catalogue/customers';
import { createApiHandler } from '#shared/http/handler';

const customerPath = (id: string) => `/v1/customers/${encodeURIComponent(id)}`;

/** POST /v1/customers → 201; the idempotency record is completed in the creation's transaction. */
export const handler = createApiHandler(customerOperations.createCustomer, async (request) => {
  const { idempotency } = request;
  const saved = await createCustomer(request.ctx, request.body, {
    idempotency: idempotency && {
      scope: idempotency.scope,
      storedResponse: (created) =>
        idempotency.storedResponse({
          statusCode: 201,
          data: created,
          headers: { location: customerPath(created.id) },
        }),
    },
  });
  request.markIdempotencyStored();
  return { statusCode: 201, data: saved, headers: { location: customerPath(saved.id) } };
});
