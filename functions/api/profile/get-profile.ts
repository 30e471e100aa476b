import { createApiHandler } from '#shared/http/handler';
import { profileOperations } from '#shared/tenancy/api';
import { getProfile } from '#shared/tenancy/profile';

/** GET /v1/profile */
export const handler = createApiHandler(profileOperations.getProfile, async ({ ctx }) => ({
  data: await getProfile(ctx),
}));
