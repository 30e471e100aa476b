import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from '#local/console-browser';
import { apiOperations } from '#shared/documents/openapi';
import { localStack } from './helpers/local-cloud.ts';

/**
 * The API reference through the local API Gateway, as a browser loads it: the page, every file it names
 * (resolved against the page's address, as a browser resolves them), the OpenAPI document it points the viewer
 * at, and the server that document names.
 */
describe('the API reference page through the API', () => {
  it('loads Swagger UI and the OpenAPI document from this API, with no token', async () => {
    // Prepare
    const pageUrl = `${localStack().apiUrl}/docs`;

    // Act
    const page = await fetch(pageUrl);
    const html = await page.text();
    const named = [...html.matchAll(/(?:src|href|data-spec-url)="(docs\/[^"]+)"/g)].map(
      ([, ref]) => new URL(ref!, pageUrl),
    );
    const loaded = await Promise.all(
      named.map(async (url) => {
        const response = await fetch(url);
        return {
          url: url.pathname,
          status: response.status,
          type: response.headers.get('content-type'),
          body: await response.text(),
        };
      }),
    );

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(loaded.map(({ url, status, type }) => ({ url, status, type }))).toEqual([
      { url: '/docs/assets/swagger-ui.css', status: 200, type: 'text/css; charset=utf-8' },
      { url: '/docs/assets/page.css', status: 200, type: 'text/css; charset=utf-8' },
      { url: '/docs/openapi.json', status: 200, type: 'application/json; charset=utf-8' },
      { url: '/docs/openapi.json', status: 200, type: 'application/json; charset=utf-8' },
      { url: '/docs/assets/swagger-ui-bundle.js', status: 200, type: 'text/javascript; charset=utf-8' },
      { url: '/docs/assets/viewer.js', status: 200, type: 'text/javascript; charset=utf-8' },
    ]);
    const bundle = loaded.find((file) => file.url.endsWith('swagger-ui-bundle.js'))!;
    expect(bundle.body).toContain('SwaggerUIBundle');
    expect(JSON.parse(loaded.find((file) => file.url === '/docs/openapi.json')!.body).openapi).toBe('3.1.0');
  });

  it("names a server that resolves to this API's root, where the operations answer", async () => {
    // Prepare
    const documentUrl = `${localStack().apiUrl}/docs/openapi.json`;
    const document = (await (await fetch(documentUrl)).json()) as { servers: { url: string }[] };

    // Act: how Swagger UI and generated clients resolve a relative server, then call an operation.
    const server = new URL(document.servers[0]!.url, documentUrl).href.replace(/\/$/, '');
    const unauthenticated = await fetch(`${server}/v1/documents`);

    // Assess
    expect(server).toBe(localStack().apiUrl);
    expect(unauthenticated.status).toBe(401);
  });

  it('answers 404 in the envelope for a file the viewer does not have', async () => {
    // Act
    const response = await fetch(`${localStack().apiUrl}/docs/assets/index.html`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });
});

describe('the API reference in a browser', () => {
  it('renders every operation under its CSP and "Try it out" reaches this API', async () => {
    // Prepare: Debian's chromium (never skipped: .ci/run installs it), every error the page reports kept —
    // CSP violations and failed loads come as console errors, uncaught exceptions as page errors.
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const { apiUrl } = localStack();
      const page = await browser.newPage();
      const problems: Array<{ text: string; url: string }> = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push({ text: message.text(), url: message.location().url });
      });
      page.on('pageerror', (error) => problems.push({ text: String(error), url: '' }));
      const listDocuments = page.locator('#operations-documents-listDocuments');

      // Act
      await page.goto(`${apiUrl}/docs`);
      await page.locator('.opblock').first().waitFor();
      const operations = await page.locator('.opblock').count();
      await listDocuments.locator('.opblock-summary-control').click();
      await listDocuments.locator('.try-out__btn').click();
      await listDocuments.locator('.execute').click();
      const status = listDocuments.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      const requestUrl = await listDocuments.locator('.request-url pre').innerText();

      // Assess
      expect(operations).toBe(apiOperations.length);
      // The one request expected to fail is the unauthenticated call itself.
      const unexpected = problems.filter(
        (problem) =>
          !(problem.text.startsWith('Failed to load resource') && problem.url.startsWith(`${apiUrl}/v1/`)),
      );
      expect(unexpected).toEqual([]);
      expect(requestUrl).toMatch(new RegExp(`^${apiUrl}/v1/documents(\\?|$)`));
      expect((await status.innerText()).trim()).toBe('401');
    } finally {
      await browser.close();
    }
  });
});
