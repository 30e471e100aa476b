import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { putHkaCredentials } from '#shared/tenancy/settings';

/** PUT /v1/settings/hka-credentials — stored encrypted, never returned. */
export const handler = createApiHandler(tenantOperations.putHkaCredentials, async ({ ctx, body }) => ({
  data: await putHkaCredentials(ctx, body),
}));
