import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { listCertificates } from '#shared/tenancy/certificates';

/** GET /v1/certificates */
export const handler = createApiHandler(tenantOperations.listCertificates, async ({ ctx }) => ({
  data: await listCertificates(ctx),
}));
