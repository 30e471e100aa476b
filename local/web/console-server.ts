import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { consoleContentSecurityPolicy } from '../../web/security-headers.ts';

/**
 * The web console locally, as CloudFront serves it on AWS: the built files of web/dist with the same security
 * headers, every unknown path answered with index.html (the single-page app routes it), `/config.json` naming
 * the hosted UI and the web client, and `/v1/*` forwarded to the API — the console calls the API on its own
 * origin there too (a CloudFront behaviour), so no CORS is involved.
 */
export type ConsoleServer = { url: string; stop(): Promise<void> };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function startConsoleServer(options: {
  port: number;
  distDir: string;
  apiUrl: string;
  hostedUiUrl: string;
  clientId: string;
  /** Where the functions presign work-file uploads (the S3 emulator): the CSP lets the console PUT there. */
  workFilesUploadOrigin: string;
}): Promise<ConsoleServer> {
  const root = resolve(options.distDir);
  const api = new URL(options.apiUrl);
  const headers = {
    'content-security-policy': consoleContentSecurityPolicy({
      hostedUi: new URL(options.hostedUiUrl).origin,
      workFilesUpload: options.workFilesUploadOrigin,
    }),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  const config = JSON.stringify({ hostedUiUrl: options.hostedUiUrl, clientId: options.clientId });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (path.startsWith('/v1/')) {
      const upstream = httpRequest(
        {
          host: api.hostname,
          port: api.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: api.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('the API is not reachable');
      });
      req.pipe(upstream);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
      res.end(config);
      return;
    }
    const file = normalize(join(root, decodeURIComponent(path)));
    const inside = file.startsWith(root + sep);
    const found = inside && existsSync(file) && statSync(file).isFile();
    const served = found ? file : join(root, 'index.html');
    const hashed = found && path.startsWith('/assets/');
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(served));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', done);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    // `localhost`, not 127.0.0.1: the web client's registered callback is http://localhost:<port>/auth/callback.
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
