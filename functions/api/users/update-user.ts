import { createApiHandler } from '#shared/http/handler';
import { userOperations } from '#shared/tenancy/api';
import { changeUser } from '#shared/tenancy/users';

/** PATCH /v1/users/{id} {role?, enabled?} */
export const handler = createApiHandler(userOperations.updateUser, async ({ ctx, params, body }) => ({
  data: await changeUser(ctx, params.id, body),
}));
