import { documentOperations } from '#shared/documents/api';
import { getDocumentByCufe } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/by-cufe/{cufe} */
export const handler = createApiHandler(documentOperations.getDocumentByCufe, async ({ ctx, params }) => ({
  data: await getDocumentByCufe(ctx, params.cufe),
}));
