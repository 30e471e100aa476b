import { openApiDocument } from '#shared/documents/openapi';
import { renderDocsPage } from '#shared/http/docs-page';
import { DOCS_PAGE_CSP } from '#shared/http/docs-viewer';

/** GET /docs — public; the API reference (Swagger UI, served by this API: no CDN, no inline script). */
export const handler = async () => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=300',
    'content-security-policy': DOCS_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  },
  body: renderDocsPage(openApiDocument().info, 'docs/openapi.json'),
});
