import { createApiHandler } from '#shared/http/handler';
import { platformOperations } from '#shared/tenancy/api';
import { getTenant } from '#shared/tenancy/tenants';

/** GET /v1/tenants/{id} */
export const handler = createApiHandler(platformOperations.getTenant, async ({ params }) => ({
  data: await getTenant(params.id),
}));
