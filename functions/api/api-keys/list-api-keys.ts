import { createApiHandler } from '#shared/http/handler';
import { listApiKeys } from '#shared/tenancy/api-keys';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';

/** GET /v1/api-keys */
export const handler = createApiHandler(apiKeyOperations.listApiKeys, async ({ ctx }) => ({
  data: await listApiKeys(ctx),
}));
