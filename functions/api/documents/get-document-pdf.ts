import { documentOperations } from '#shared/documents/api';
import { getDownloadUrl } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/{id}/pdf → `{ url, expiresAt }`, or 302 with `?redirect=true`. */
export const handler = createApiHandler(documentOperations.getDocumentPdf, async ({ ctx, params, query }) => {
  const link = await getDownloadUrl(ctx, params.id, 'pdf');
  return query.redirect ? { redirect: link.url } : { data: link };
});
