import { createApiHandler } from '#shared/http/handler';
import { platformOperations } from '#shared/tenancy/api';
import { onboardTenant } from '#shared/tenancy/tenants';

/** POST /v1/tenants — SUPER_ADMIN onboards a company and invites its first ADMIN. */
export const handler = createApiHandler(platformOperations.createTenant, async ({ ctx, body }) => {
  const tenant = await onboardTenant(ctx, body);
  return { statusCode: 201, data: tenant, headers: { location: `/v1/tenants/${tenant.id}` } };
});
