import { openApiDocument } from '#shared/documents/openapi';
import { renderDocsPage } from '#shared/http/docs-page';

/** GET /docs — public; a plain HTML listing of the API (no scripts, no CDN). */
export const handler = async () => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=300',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  },
  body: renderDocsPage(openApiDocument() as Parameters<typeof renderDocsPage>[0], 'docs/openapi.json'),
});
