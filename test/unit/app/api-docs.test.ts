import { describe, expect, it } from 'vitest';
import { handler as getApiDocs } from '#functions/api/docs/get-api-docs';
import { handler as getDocsAsset } from '#functions/api/docs/get-docs-asset';
import { VIEWER_ASSET_NAMES } from '#shared/http/docs-viewer';

/** Lambda's limit on a synchronous response payload (the serialized proxy result). */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

const assetEvent = (file: string) => ({ pathParameters: { file }, requestContext: { requestId: 'req-1' } });

describe('the API reference page', () => {
  it('is Swagger UI loaded from this API, with no inline script', async () => {
    // Act
    const res = await getApiDocs();

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.map(([, attributes]) => attributes)).toEqual([
      ' src="docs/assets/swagger-ui-bundle.js"',
      ' src="docs/assets/viewer.js"',
    ]);
    for (const [, , content] of scripts) expect(content).toBe('');
    expect(res.body).not.toMatch(/\son[a-z]+=/i);
    expect(res.body).not.toMatch(/https?:\/\//);
    expect(res.body).toContain('data-spec-url="docs/openapi.json"');
  });

  it("allows only the page's own scripts, styles and connections", async () => {
    // Act
    const csp = (await getApiDocs()).headers['content-security-policy'];

    // Assess
    const directives = new Map(
      csp.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('every asset the page names is served, with its media type', async () => {
    // Prepare
    const page = (await getApiDocs()).body;
    const named = [...page.matchAll(/(?:src|href)="docs\/assets\/([^"]+)"/g)].map(([, file]) => file!);

    // Act
    const responses = await Promise.all(named.map((file) => getDocsAsset(assetEvent(file))));

    // Assess
    expect([...named].sort()).toEqual([...VIEWER_ASSET_NAMES].sort());
    for (const [index, res] of responses.entries()) {
      expect(res.statusCode, named[index]).toBe(200);
      expect(res.headers['content-type']).toMatch(
        named[index]!.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect(res.body.length).toBeGreaterThan(0);
    }
  });

  it("serves Swagger UI's bundle as text, within Lambda's response payload limit", async () => {
    // Act
    const res = await getDocsAsset(assetEvent('swagger-ui-bundle.js'));

    // Assess
    expect(res.body).toContain('SwaggerUIBundle');
    expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
  });

  it('starts the viewer from the page data, without query configuration or the public validator', async () => {
    // Act
    const script = (await getDocsAsset(assetEvent('viewer.js'))).body;

    // Assess
    expect(script).toContain('dataset.specUrl');
    expect(script).toContain('queryConfigEnabled: false');
    expect(script).toContain('validatorUrl: null');
  });

  it.each(['index.html', '../package.json', 'swagger-ui.js', '', 'constructor'])(
    'answers 404 in the envelope for %j',
    async (file) => {
      // Act
      const res = await getDocsAsset(assetEvent(file));

      // Assess
      expect(res.statusCode).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ success: false, code: 'NOT_FOUND', requestId: 'req-1' });
    },
  );
});
