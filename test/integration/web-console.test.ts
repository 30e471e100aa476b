import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import { demoUser, localStack } from './helpers/local-cloud.ts';

/**
 * The web console in a real browser (Debian's chromium driven by playwright-core) against the local cloud: a
 * USER signs in through the hosted UI, issues a two-line invoice through the form (the live totals are the
 * API's), sees it authorized, downloads its PDF (the CUFE is printed in it), and cancels it; an OPERATOR sees
 * the same document without the cancel button. axe-core checks every screen, under the console's real CSP.
 */
const CHROMIUM = '/usr/bin/chromium';
/** The web client's registered callback origin: the browser believes the console lives here. */
const CONSOLE_ORIGIN = 'http://localhost:5173';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let proxy: Server;
const cspViolations: string[] = [];

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

beforeAll(async () => {
  // Never skipped: without the browser this test fails (.ci/run installs Debian's chromium).
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
  proxy = await startConsoleProxy(localStack().webUrl);
  browser = await chromium.launch({
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
});

afterAll(async () => {
  await browser?.close();
  proxy?.closeAllConnections();
  proxy?.close();
});

async function consoleContext(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 } });
}

async function signIn(context: BrowserContext, role: 'USER' | 'OPERATOR', path: string): Promise<Page> {
  const user = demoUser(0, role);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(`${CONSOLE_ORIGIN}${path}`);
  await page.locator('#username').fill(user.email);
  await page.locator('#password').fill(user.password);
  await page.locator('button[type=submit]').click();
  await page.locator('#code').fill(totpCode(String(user.totpSecret)));
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${CONSOLE_ORIGIN}${path}`);
  return page;
}

async function expectAccessible(page: Page, screen: string): Promise<void> {
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

const moneyText = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('the web console in a browser', () => {
  it('issues, shows, downloads and cancels an invoice; an OPERATOR cannot cancel', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const receiver = `Cliente Navegador ${Date.now().toString(36)}`;
    const userContext = await consoleContext();
    const page = await signIn(userContext, 'USER', '/documents/new');
    await expectAccessible(page, 'new document');

    // Act: the form, two lines, live totals from the fiscal core
    await page.getByLabel('Nombre o razón social').fill(receiver);
    await page.getByLabel('Descripción').fill('Café americano');
    await page.getByLabel('Cantidad').fill('2');
    await page.getByLabel('Precio unitario').fill('1.75');
    await page.getByRole('button', { name: 'Agregar línea' }).click();
    const second = page.getByRole('group', { name: 'Línea 2' });
    await second.getByLabel('Descripción').fill('Pan de queso');
    await second.getByLabel('Cantidad').fill('1');
    await second.getByLabel('Precio unitario').fill('0.90');
    await second.getByLabel('ITBMS').selectOption('0');
    const liveTotal = await moneyText(page, 'live-total');
    const liveItbms = await moneyText(page, 'live-itbms');
    // A double click issues once: one Idempotency-Key per draft, the button disabled while it is sent.
    await page.getByRole('button', { name: 'Emitir documento' }).dblclick();
    await page.waitForURL(/\/documents\/[0-9A-Z]{26}$/);
    const documentUrl = page.url();
    await expect
      .poll(() => page.locator('.badge').first().innerText(), { timeout: 90_000 })
      .toBe('Autorizado');

    // Assess: the API's totals are the live ones
    expect(liveItbms).toBe('B/. 0.25');
    expect(liveTotal).toBe('B/. 4.65');
    expect(await moneyText(page, 'document-total')).toBe(liveTotal);
    await expectAccessible(page, 'document');
    const cufe = (await page.locator('code.cufe').innerText()).trim();
    expect(cufe).toMatch(/^FE[A-Z0-9-]{64}$/);

    // The PDF behind the presigned URL the console asked for
    const [pdfAnswer] = await Promise.all([
      page.waitForResponse((response) =>
        /\/v1\/documents\/[^/]+\/pdf$/.test(new URL(response.url()).pathname),
      ),
      page.getByRole('button', { name: 'Descargar PDF' }).click(),
    ]);
    const { url } = (await pdfAnswer.json()).data as { url: string };
    const pdf = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'factu-web-pdf-'));
    try {
      writeFileSync(join(dir, 'cafe.pdf'), pdf);
      const text = execFileSync('pdftotext', [join(dir, 'cafe.pdf'), '-'], { encoding: 'utf8' });
      expect(text.replace(/\s+/g, '')).toContain(cufe);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Issued once, found by the receiver's name
    await page.getByRole('link', { name: 'Documentos', exact: true }).click();
    await page.getByLabel('Buscar por nombre del receptor').fill(receiver);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await expectAccessible(page, 'documents');
    await page.getByRole('link', { name: 'Inicio' }).click();
    await page.getByRole('heading', { name: 'Folios disponibles' }).waitFor();
    await expectAccessible(page, 'home');

    // An OPERATOR reads the same document, with no cancel button and no "new document"
    const operatorContext = await consoleContext();
    const operatorPage = await signIn(operatorContext, 'OPERATOR', new URL(documentUrl).pathname);
    await expect
      .poll(() => operatorPage.locator('.badge').first().innerText(), { timeout: 30_000 })
      .toBe('Autorizado');
    await operatorPage.getByRole('button', { name: 'Descargar PDF' }).waitFor();
    expect(await operatorPage.getByRole('button', { name: 'Anular documento' }).count()).toBe(0);
    expect(await operatorPage.getByRole('link', { name: 'Nuevo documento' }).count()).toBe(0);
    await operatorContext.close();

    // The USER cancels it (moving inside the console: a reload would sign in again, tokens live in memory only)
    await page.getByRole('link', { name: 'Documentos', exact: true }).click();
    await page.getByLabel('Buscar por nombre del receptor').fill(receiver);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.locator('table.list tbody a').first().click();
    await page.waitForURL(documentUrl);
    await page.getByRole('button', { name: 'Anular documento' }).click();
    await page.getByLabel(/Motivo de la anulación/).fill('Error en el precio facturado al cliente');
    await page.getByRole('button', { name: 'Confirmar anulación' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText(), { timeout: 60_000 }).toBe('Anulado');
    expect(cspViolations).toEqual([]);
    await userContext.close();
  });
});
