import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { addBranch } from '#shared/tenancy/branches';

/** POST /v1/branches */
export const handler = createApiHandler(tenantOperations.createBranch, async ({ ctx, body }) => {
  const { tenantId: _tenantId, ...branch } = await addBranch(ctx, body);
  return { statusCode: 201, data: branch, headers: { location: `/v1/branches/${branch.code}` } };
});
