import { documentOperations } from '#shared/documents/api';
import { getDownloadUrl } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/{id}/xml → `{ url, expiresAt }`, or 302 with `?redirect=true`. */
export const handler = createApiHandler(documentOperations.getDocumentXml, async ({ ctx, params, query }) => {
  const link = await getDownloadUrl(ctx, params.id, 'xml');
  return query.redirect ? { redirect: link.url } : { data: link };
});
