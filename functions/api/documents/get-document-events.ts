import { documentOperations } from '#shared/documents/api';
import { getDocumentEvents } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/{id}/events */
export const handler = createApiHandler(documentOperations.getDocumentEvents, async ({ ctx, params }) => ({
  data: await getDocumentEvents(ctx, params.id),
}));
