import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

/** A system Chromium, when the machine has one (the check below is skipped otherwise). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  existsSync,
);

describe('the API reference in a browser', () => {
  it.skipIf(!CHROMIUM)(
    'renders every operation under its CSP and "Try it out" reaches this API',
    async () => {
      // Prepare
      const browser = await HeadlessBrowser.launch(CHROMIUM!);
      try {
        const { apiUrl } = localStack();

        // Act
        await browser.open(`${apiUrl}/docs`);
        const operations = await browser.waitFor<number>(
          'document.querySelectorAll(".opblock").length',
          (n) => n > 0,
        );
        await browser.evaluate(`(() => {
          const op = document.getElementById("operations-documents-listDocuments");
          op.querySelector(".opblock-summary-control").click();
          return true;
        })()`);
        await browser.waitFor(
          '!!document.querySelector("#operations-documents-listDocuments .try-out__btn")',
          Boolean,
        );
        await browser.evaluate(
          'document.querySelector("#operations-documents-listDocuments .try-out__btn").click(), true',
        );
        await browser.waitFor(
          '!!document.querySelector("#operations-documents-listDocuments .execute")',
          Boolean,
        );
        await browser.evaluate(
          'document.querySelector("#operations-documents-listDocuments .execute").click(), true',
        );
        const status = await browser.waitFor<string>(
          'document.querySelector("#operations-documents-listDocuments .live-responses-table tbody .response-col_status")?.textContent ?? ""',
          (text) => text.trim() !== '',
        );
        const requestUrl = await browser.evaluate(
          'document.querySelector("#operations-documents-listDocuments .request-url pre")?.textContent ?? ""',
        );

        // Assess
        expect(operations).toBe(apiOperations.length);
        // The one request expected to fail is the unauthenticated call itself.
        const unexpected = browser
          .problems()
          .filter((problem) => !(problem.source === 'network' && problem.url?.startsWith(`${apiUrl}/v1/`)));
        expect(unexpected).toEqual([]);
        expect(String(requestUrl)).toMatch(new RegExp(`^${apiUrl}/v1/documents(\\?|$)`));
        expect(String(status).trim()).toBe('401');
      } finally {
        await browser.close();
      }
    },
  );
});

type CdpMessage = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
};

/**
 * Just enough of the Chrome DevTools protocol to load a page, run a script in it and collect what the browser
 * reports: CSP violations and other console errors, uncaught exceptions.
 */
class HeadlessBrowser {
  private nextId = 0;
  private readonly pending = new Map<number, (message: CdpMessage) => void>();
  private readonly reported: Array<{ source: string; text: string; url?: string }> = [];

  private constructor(
    private readonly process: ChildProcess,
    private readonly profile: string,
    private readonly socket: WebSocket,
  ) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
      else if (message.method === 'Log.entryAdded') {
        const entry = message.params?.entry as { level: string; source: string; text: string; url?: string };
        if (entry.level === 'error')
          this.reported.push({ source: entry.source, text: entry.text, url: entry.url });
      } else if (message.method === 'Runtime.exceptionThrown') {
        const text = JSON.stringify(message.params?.exceptionDetails).slice(0, 500);
        this.reported.push({ source: 'exception', text });
      }
    });
  }

  static async launch(executable: string): Promise<HeadlessBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'factu-browser-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${profile}`,
        '--remote-debugging-port=0',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const browserUrl = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no DevTools endpoint: ${seen.slice(-500)}`)), 20_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const { host } = new URL(browserUrl);
    const targets = (await (await fetch(`http://${host}/json/list`)).json()) as Array<{
      type: string;
      webSocketDebuggerUrl: string;
    }>;
    const page = targets.find((target) => target.type === 'page');
    if (!page) throw new Error('the browser opened no page');
    const socket = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve);
      socket.addEventListener('error', reject);
    });
    const browser = new HeadlessBrowser(child, profile, socket);
    await browser.send('Log.enable');
    await browser.send('Runtime.enable');
    await browser.send('Page.enable');
    return browser;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<CdpMessage> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async open(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  async evaluate(expression: string): Promise<unknown> {
    const answer = await this.send('Runtime.evaluate', { expression, returnByValue: true });
    return (answer.result?.result as { value?: unknown } | undefined)?.value;
  }

  /** Evaluates until `done` holds (or 20 s pass); returns the last value. */
  async waitFor<T>(expression: string, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = (await this.evaluate(expression)) as T;
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Errors the page reported: CSP violations (`security`), failed loads (`network`), exceptions. */
  problems(): Array<{ source: string; text: string; url?: string }> {
    return [...this.reported];
  }

  /** Ends the browser and removes its profile once it has exited (it writes there until then). */
  async close(): Promise<void> {
    this.socket.close();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill();
      await exited;
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}
