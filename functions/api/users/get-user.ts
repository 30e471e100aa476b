import { createApiHandler } from '#shared/http/handler';
import { userOperations } from '#shared/tenancy/api';
import { getUser } from '#shared/tenancy/users';

/** GET /v1/users/{id} */
export const handler = createApiHandler(userOperations.getUser, async ({ ctx, params }) => ({
  data: await getUser(ctx, params.id),
}));
