import { DOCS_ASSETS_PATH } from './docs-viewer.ts';

/**
 * The `/docs` page: a shell for the API reference viewer (docs-viewer.ts). It holds no script of its own;
 * the viewer's start-up file reads the OpenAPI document's address from `data-spec-url`. Every address is
 * relative to the page, so the stage prefix of API Gateway (`/prod/docs`) is kept. Without JavaScript the
 * reader still gets the title and the link to the raw document.
 */
export function renderDocsPage(info: { title: string; version: string }, openApiUrl: string): string {
  const title = escapeHtml(`${info.title} ${info.version}`);
  const spec = escapeHtml(openApiUrl);
  const asset = (file: string) => escapeHtml(`${DOCS_ASSETS_PATH}/${file}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
<link rel="stylesheet" href="${asset('page.css')}">
</head>
<body>
<header class="factu-header">
<h1>${title}</h1>
<p>Sign in and paste your ID token, or use an API key (<code>fk_test_…</code> / <code>fk_live_…</code>), under “Authorize”. Machine-readable: <a href="${spec}">OpenAPI 3.1 document</a>.</p>
</header>
<div id="swagger-ui" data-spec-url="${spec}"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script src="${asset('viewer.js')}"></script>
</body>
</html>
`;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
