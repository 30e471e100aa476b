import { createApiHandler } from '#shared/http/handler';
import { platformOperations } from '#shared/tenancy/api';
import { listTenants } from '#shared/tenancy/tenants';

/** GET /v1/tenants */
export const handler = createApiHandler(platformOperations.listTenants, async ({ query }) => ({
  data: await listTenants(query),
}));
