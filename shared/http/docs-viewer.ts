import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The API reference viewer: Swagger UI from the `swagger-ui-dist` npm package, served by our own functions
 * (no CDN), plus a small start-up script of ours. The page runs under `script-src 'self'`, so Swagger UI is
 * started by a served file that reads its settings from the page's `data-` attributes, never by inline JS.
 *
 * The package's files are read at run time through `require.resolve`, from the repository's node_modules
 * in development and from the `node_modules/swagger-ui-dist/` the bundler ships next to a function's
 * bundle (infra/bundling/esbuild-bundler.ts): one code path for both. They are served as UTF-8 text, so
 * API Gateway needs no binary media type; the largest, the JS bundle (about 1.7 MB), stays far below
 * Lambda's 6 MB response payload.
 */

/** The npm package the viewer comes from (pinned in package.json). */
export const VIEWER_PACKAGE = 'swagger-ui-dist';

/** Files of the package a function ships and serves; its licence and notice travel with them. */
export const VIEWER_PACKAGE_FILES = [
  'package.json',
  'LICENSE',
  'NOTICE',
  'swagger-ui-bundle.js',
  'swagger-ui.css',
] as const;

/** Where the page finds its assets, relative to the page (`/docs` → `docs/assets/…`, stage prefix kept). */
export const DOCS_ASSETS_PATH = 'docs/assets';

/**
 * Starts Swagger UI on `#swagger-ui` with the OpenAPI document named by its `data-spec-url`. No query
 * configuration (a `?url=`/`?configUrl=` in the page address is ignored: it was Swagger UI's reflected-XSS
 * vector) and no call to the public validator badge service.
 */
const VIEWER_START_SCRIPT = `"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    queryConfigEnabled: false,
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
`;

const PAGE_STYLE = `body{margin:0;font-family:system-ui,sans-serif}
.factu-header{padding:1rem 1.25rem;border-bottom:1px solid #e5e5e5}
.factu-header h1{margin:0;font-size:1.25rem}
.factu-header p{margin:.25rem 0 0;color:#555}
`;

type ViewerAsset = { contentType: string; read: () => Promise<string> };

const requireFromHere = createRequire(import.meta.url);
const fromPackage = (file: string) => () =>
  readFile(requireFromHere.resolve(`${VIEWER_PACKAGE}/${file}`), 'utf8');
const constant = (text: string) => () => Promise.resolve(text);

/** Every asset the page loads, by the name it is served under (`/docs/assets/{file}`). */
export const VIEWER_ASSETS: Readonly<Record<string, ViewerAsset>> = {
  'swagger-ui-bundle.js': {
    contentType: 'text/javascript; charset=utf-8',
    read: fromPackage('swagger-ui-bundle.js'),
  },
  'swagger-ui.css': { contentType: 'text/css; charset=utf-8', read: fromPackage('swagger-ui.css') },
  'viewer.js': { contentType: 'text/javascript; charset=utf-8', read: constant(VIEWER_START_SCRIPT) },
  'page.css': { contentType: 'text/css; charset=utf-8', read: constant(PAGE_STYLE) },
};

export const VIEWER_ASSET_NAMES = Object.keys(VIEWER_ASSETS) as [string, ...string[]];

/**
 * What the page may load: its own scripts and styles only. Swagger UI 5 sets styles through the DOM (which
 * `style-src` does not govern), so no `'unsafe-inline'` is needed; its CSS draws icons from `data:` SVGs, hence
 * `data:` for images. `connect-src 'self'` lets it fetch the OpenAPI document and send the "Try it out"
 * requests to this same API.
 */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const cache = new Map<string, Promise<string>>();

/** The asset's text (read once per container), or undefined for a name that is not one of ours. */
export function readViewerAsset(name: string): { contentType: string; text: Promise<string> } | undefined {
  const asset = Object.hasOwn(VIEWER_ASSETS, name) ? VIEWER_ASSETS[name] : undefined;
  if (!asset) return undefined;
  let text = cache.get(name);
  if (!text) {
    text = asset.read();
    // A failed read is not kept: the next request tries again.
    text.catch(() => cache.delete(name));
    cache.set(name, text);
  }
  return { contentType: asset.contentType, text };
}
