import { resendDocumentEmail } from '#shared/documents/actions';
import { documentActionOperations } from '#shared/documents/api';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/documents/{id}/email {to?} — sends the CAFE and rFE again. */
export const handler = createApiHandler(
  documentActionOperations.emailDocument,
  async ({ ctx, params, body }) => ({
    data: await resendDocumentEmail(ctx, params.id, body.to),
  }),
);
