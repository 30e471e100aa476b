import { createApiHandler } from '#shared/http/handler';
import { userOperations } from '#shared/tenancy/api';
import { listUsers } from '#shared/tenancy/users';

/** GET /v1/users */
export const handler = createApiHandler(userOperations.listUsers, async ({ ctx, query }) => ({
  data: await listUsers(ctx, query),
}));
