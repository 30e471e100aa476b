import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { totpCode } from './emulators/cognito-totp.ts';

/**
 * The web console in a real browser: Debian's chromium driven by playwright-core, against the console a local
 * cloud serves, signed in through the hosted UI like a person. Used by the console's browser tests and by
 * `npm run screenshots`.
 */
export const CHROMIUM = '/usr/bin/chromium';
/** The web client's registered callback origin: the browser believes the console lives here. */
export const CONSOLE_ORIGIN = 'http://localhost:5173';

/** Who signs in: a demo user of the local cloud, or one set up during a test (with its authenticator). */
export type BrowserPerson = { email: string; password: string; totpSecret?: string | undefined };

/**
 * The browser's HTTP proxy: requests to the registered console origin go to the console the local cloud
 * started (on a free port in tests); every other request goes where it was sent. Redirects from the hosted UI
 * to the callback URL then work exactly as they would with the console on its registered port.
 */
async function startConsoleProxy(consoleUrl: string): Promise<Server> {
  const actual = new URL(consoleUrl);
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    const forwarded = target.host === new URL(CONSOLE_ORIGIN).host ? actual : target;
    const upstream = httpRequest(
      {
        host: forwarded.hostname === 'localhost' ? '127.0.0.1' : forwarded.hostname,
        port: forwarded.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Chromium headless, proxied so that `CONSOLE_ORIGIN` reaches the console served at `consoleUrl`. */
export async function launchConsoleBrowser(
  consoleUrl: string,
): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const proxy = await startConsoleProxy(consoleUrl);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--proxy-server=http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      // Loopback is never proxied by default; the console and the hosted UI are on loopback here.
      '--proxy-bypass-list=<-loopback>',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

/** Signs in through the hosted UI (password, then the authenticator's code) and lands on `path`. */
export async function signInToConsole(
  context: BrowserContext,
  person: BrowserPerson,
  path: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${CONSOLE_ORIGIN}${path}`);
  await page.locator('#username').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.locator('button[type=submit]').click();
  await page.locator('#code').fill(totpCode(String(person.totpSecret)));
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${CONSOLE_ORIGIN}${path}`);
  return page;
}
