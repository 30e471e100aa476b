import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { listPointsOfSale } from '#shared/tenancy/branches';

/** GET /v1/branches/{code}/points-of-sale */
export const handler = createApiHandler(tenantOperations.listPointsOfSale, async ({ ctx, params }) => ({
  data: (await listPointsOfSale(ctx, params.code)).map(({ tenantId: _tenantId, ...pos }) => pos),
}));
