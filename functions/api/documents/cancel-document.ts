import { cancelDocument } from '#shared/documents/actions';
import { documentActionOperations } from '#shared/documents/api';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/documents/{id}/cancel {reason} — anulación within 7 days. */
export const handler = createApiHandler(
  documentActionOperations.cancelDocument,
  async ({ ctx, params, body }) => ({
    data: await cancelDocument(ctx, params.id, body.reason),
  }),
);
