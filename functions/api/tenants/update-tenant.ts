import { createApiHandler } from '#shared/http/handler';
import { platformOperations } from '#shared/tenancy/api';
import { setTenantStatus } from '#shared/tenancy/tenants';

/** PATCH /v1/tenants/{id} {status} — suspend or reactivate. */
export const handler = createApiHandler(platformOperations.updateTenant, async ({ ctx, params, body }) => ({
  data: await setTenantStatus(ctx, params.id, body.status),
}));
