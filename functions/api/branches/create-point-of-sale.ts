import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { addPointOfSale } from '#shared/tenancy/branches';

/** POST /v1/branches/{code}/points-of-sale */
export const handler = createApiHandler(tenantOperations.createPointOfSale, async ({ ctx, params, body }) => {
  const { tenantId: _tenantId, ...pos } = await addPointOfSale(ctx, params.code, body);
  return { statusCode: 201, data: pos };
});
