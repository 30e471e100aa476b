import { createApiHandler } from '#shared/http/handler';
import { createApiKey } from '#shared/tenancy/api-keys';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';

const apiKeyPath = (id: string) => `/v1/api-keys/${encodeURIComponent(id)}`;

/** POST /v1/api-keys → 201 with the secret (once); the stored replay of the response has no secret. */
export const handler = createApiHandler(apiKeyOperations.createApiKey, async (request) => {
  const { idempotency } = request;
  const created = await createApiKey(request.ctx, request.body, {
    idempotency: idempotency && {
      scope: idempotency.scope,
      storedResponse: (key) =>
        idempotency.storedResponse({ statusCode: 201, data: key, headers: { location: apiKeyPath(key.id) } }),
    },
  });
  request.markIdempotencyStored();
  return { statusCode: 201, data: created, headers: { location: apiKeyPath(created.id) } };
});
