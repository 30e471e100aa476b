import { createApiHandler } from '#shared/http/handler';
import { profileOperations } from '#shared/tenancy/api';
import { putProfile } from '#shared/tenancy/profile';

/** PUT /v1/profile */
export const handler = createApiHandler(profileOperations.putProfile, async ({ ctx, body }) => ({
  data: await putProfile(ctx, body),
}));
