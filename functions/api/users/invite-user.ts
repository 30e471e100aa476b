import { createApiHandler } from '#shared/http/handler';
import { userOperations } from '#shared/tenancy/api';
import { inviteUser } from '#shared/tenancy/users';

/** POST /v1/users — Cognito e-mails the person a temporary password. */
export const handler = createApiHandler(userOperations.inviteUser, async ({ ctx, body }) => {
  const user = await inviteUser(ctx, body);
  return { statusCode: 201, data: user, headers: { location: `/v1/users/${user.userId}` } };
});
