import { documentOperations } from '#shared/documents/api';
import { getDocument } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/{id} */
export const handler = createApiHandler(documentOperations.getDocument, async ({ ctx, params }) => ({
  data: await getDocument(ctx, params.id),
}));
