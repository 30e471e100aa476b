import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { listBranches } from '#shared/tenancy/branches';

/** GET /v1/branches */
export const handler = createApiHandler(tenantOperations.listBranches, async ({ ctx }) => ({
  data: (await listBranches(ctx)).map(({ tenantId: _tenantId, ...branch }) => branch),
}));
