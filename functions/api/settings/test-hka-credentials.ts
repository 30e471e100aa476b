import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { testHkaCredentials } from '#shared/tenancy/settings';

/** POST /v1/settings/hka-credentials/test?environment= — calls FoliosRestantes. */
export const handler = createApiHandler(tenantOperations.testHkaCredentials, async ({ ctx, query }) => ({
  data: await testHkaCredentials(ctx, query.environment),
}));
