import { createApiHandler } from '#shared/http/handler';
import { tenantOperations } from '#shared/tenancy/api';
import { uploadCertificate } from '#shared/tenancy/certificates';

/** POST /v1/certificates {p12 (base64), pin} — the P12 and PIN are discarded after the KMS import. */
export const handler = createApiHandler(tenantOperations.uploadCertificate, async ({ ctx, body }) => ({
  statusCode: 201,
  data: await uploadCertificate(ctx, body),
}));
