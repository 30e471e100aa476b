import { createApiHandler } from '#shared/http/handler';
import { userOperations } from '#shared/tenancy/api';
import { deleteUser } from '#shared/tenancy/users';

/** DELETE /v1/users/{id} */
export const handler = createApiHandler(userOperations.deleteUser, async ({ ctx, params }) => {
  await deleteUser(ctx, params.id);
  return { data: { deleted: true as const } };
});
