import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { putIssuingSettings } from '#shared/tenancy/settings';

/** PUT /v1/settings/issuing */
export const handler = createApiHandler(tenantOperations.putIssuingSettings, async ({ ctx, body }) => ({
  data: await putIssuingSettings(ctx, body),
}));
