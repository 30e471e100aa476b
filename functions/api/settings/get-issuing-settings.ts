import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { getIssuingSettings } from '#shared/tenancy/settings';

/** GET /v1/settings/issuing */
export const handler = createApiHandler(tenantOperations.getIssuingSettings, async ({ ctx }) => ({
  data: await getIssuingSettings(ctx),
}));
