import { createApiHandler } from '#shared/http/handler';
import { revokeApiKey } from '#shared/tenancy/api-keys';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';

/** DELETE /v1/api-keys/{id} */
export const handler = createApiHandler(apiKeyOperations.revokeApiKey, async ({ ctx, params }) => {
  await revokeApiKey(ctx, params.id);
  return { data: { revoked: true } };
});
