import { documentOperations } from '#shared/documents/api';
import { getDocumentLines } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/{id}/lines → `{ items }`, each line as `POST /v1/documents` takes it. */
export const handler = createApiHandler(documentOperations.getDocumentLines, async ({ ctx, params }) => ({
  data: await getDocumentLines(ctx, params.id),
}));
