import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import { localStack } from './local-cloud.ts';

/**
 * The web console in a real browser: Debian's chromium driven by playwright-core, against the console the local
 * cloud serves, signed in through the hosted UI like a person. Shared by the console's browser tests.
 */
const CHROMIUM = '/usr/bin/chromium';
/** The web client's registered callback origin: the browser believes the console lives here. */
export const CONSOLE_ORIGIN = 'http://localhost:5173';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Who signs in: a demo user of the local cloud, or one set up during the test (with its authenticator). */
export type BrowserPerson = { email: string; password: string; totpSecret?: string | undefined };

export type ConsoleBrowser = {
  /** A fresh browser profile (no session), desktop-sized unless a viewport is given. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Content-Security-Policy violations any page reported: the console must cause none. */
  cspViolations: string[];
  close(): Promise<void>;
};

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

export async function startConsoleBrowser(): Promise<ConsoleBrowser> {
  // Never skipped: without the browser the test fails (.ci/run installs Debian's chromium).
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
  const proxy = await startConsoleProxy(localStack().webUrl);
  const browser: Browser = await chromium.launch({
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
  const cspViolations: string[] = [];
  return {
    cspViolations,
    async newContext(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      context.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      return context;
    },
    async close() {
      await browser.close();
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

/** Signs in through the hosted UI (password, then the authenticator's code) and lands on `path`. */
export async function signIn(context: BrowserContext, person: BrowserPerson, path: string): Promise<Page> {
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

/** axe-core finds no serious or critical violation on the screen the page shows. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force for the app.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe;
    return (await axe.run()).violations.map(({ id, impact }) => ({ id, impact }));
  });
  expect(
    violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
    screen,
  ).toEqual([]);
}
