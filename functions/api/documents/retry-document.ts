import { retryDocument } from '#shared/documents/actions';
import { documentActionOperations } from '#shared/documents/api';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/documents/{id}/retry — restarts issuing of a FAILED document. */
export const handler = createApiHandler(documentActionOperations.retryDocument, async ({ ctx, params }) => ({
  data: await retryDocument(ctx, params.id),
}));
