import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { deleteCertificate } from '#shared/tenancy/certificates';

/** DELETE /v1/certificates/{id} */
export const handler = createApiHandler(tenantOperations.deleteCertificate, async ({ ctx, params }) => {
  await deleteCertificate(ctx, params.id);
  return { data: { deleted: true } };
});
