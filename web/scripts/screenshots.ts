// `npm run screenshots`: PNGs of the console's main screens, desktop (1280×900) and phone (390×844), into
// docs/screenshots/. It reuses a running `npm start` when `.local/stack.json` answers; otherwise it starts a
// throwaway local cloud on free ports, the way test/integration/global-setup.ts does, and stops it at the end.
// It signs in through the hosted UI as the demo ADMIN in Debian's chromium (playwright-core), issues a few
// documents when the demo company has none, synchronizes the folio balance, and moves through the console by
// its menu (tokens live in memory: a reload would sign in again).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { type LocalCloud, type LocalStack, startLocalCloud } from '#local/cloud';
import { launchConsoleBrowser, signInToConsole } from '#local/console-browser';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outputDir = join(repoRoot, 'docs', 'screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
/** Examples valid at any clock (no contingency start, no referenced document), under Panamanian names. */
const SEED = [
  ['invoice-taxpayer.json', 'Distribuidora El Istmo, S.A.'],
  ['invoice-multiple-itbms-rates.json', 'Ferretería Bella Vista'],
  ['invoice-final-consumer.json', 'María Fernández'],
  ['invoice-discounts.json', 'Hotel Casco Antiguo, S.A.'],
  ['invoice-taxpayer.json', 'Constructora Chiriquí, S.A.'],
  ['invoice-final-consumer.json', 'José Rodríguez'],
] as const;

async function runningStack(): Promise<LocalStack | undefined> {
  const file = join(repoRoot, '.local', 'stack.json');
  if (!existsSync(file)) return undefined;
  const stack = JSON.parse(readFileSync(file, 'utf8')) as LocalStack;
  try {
    return (await fetch(`${stack.apiUrl}/v1/health`)).ok ? stack : undefined;
  } catch {
    return undefined;
  }
}

/** A few documents through the API (the demo USER's API key) when the demo company has issued none. */
async function seedDocuments(stack: LocalStack): Promise<void> {
  const tenant = stack.demo.tenants[0];
  const key = tenant?.apiKeys.find((apiKey) => apiKey.role === 'USER')?.secret;
  if (!tenant || !key) throw new Error('the demo tenant has no USER API key');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const listed = await fetch(`${stack.apiUrl}/v1/documents?limit=1`, { headers });
  const { data } = (await listed.json()) as { data: { items: unknown[] } };
  if (data.items.length > 0) return;
  for (const [example, name] of SEED) {
    const document = JSON.parse(readFileSync(join(repoRoot, 'examples', 'documents', example), 'utf8'));
    document.receiver.name = name;
    const answer = await fetch(`${stack.apiUrl}/v1/documents`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(document),
    });
    if (answer.status !== 202)
      throw new Error(`issuing ${example} answered ${answer.status}: ${await answer.text()}`);
  }
  // The pipeline authorizes them in a few seconds: the screens should show them authorized.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
}

async function signIn(context: BrowserContext, stack: LocalStack): Promise<Page> {
  const admin = stack.demo.tenants[0]?.users.find((user) => user.role === 'ADMIN');
  if (!admin?.totpSecret) throw new Error('the demo tenant has no ADMIN with an authenticator');
  return signInToConsole(context, admin, '/');
}

/** Settled: no request in flight and no "Cargando…" on screen. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .getByText('Cargando…')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
  await page.waitForTimeout(300);
}

async function shoot(page: Page, name: string, size: keyof typeof VIEWPORTS): Promise<void> {
  await settle(page);
  await page.screenshot({ path: join(outputDir, `${name}-${size}.png`) });
  console.log(`  docs/screenshots/${name}-${size}.png`);
}

/** Opens a screen by the menu (on a phone, through the menu button first). */
async function open(page: Page, label: string, size: keyof typeof VIEWPORTS): Promise<void> {
  if (size === 'phone') await page.getByRole('button', { name: 'Menú' }).click();
  await page
    .getByRole('navigation', { name: 'Navegación principal' })
    .getByRole('link', { name: label, exact: true })
    .click();
}

async function screens(
  context: BrowserContext,
  stack: LocalStack,
  size: keyof typeof VIEWPORTS,
): Promise<void> {
  const page = await signIn(context, stack);
  if (size === 'desktop') {
    await open(page, 'Folios', size);
    await page.getByRole('button', { name: 'Sincronizar' }).click();
    await page.getByRole('status').waitFor();
    await open(page, 'Inicio', size);
  }
  await shoot(page, 'inicio', size);
  if (size === 'phone') {
    await page.getByRole('button', { name: 'Menú' }).click();
    await shoot(page, 'menu', size);
    await page.getByRole('button', { name: 'Menú' }).click();
  }
  await open(page, 'Documentos', size);
  await shoot(page, 'documentos', size);
  await page.locator('table.list tbody a').first().click();
  await page.waitForURL(/\/documents\/[0-9A-Z]{26}$/);
  await shoot(page, 'documento', size);
  await open(page, 'Nuevo documento', size);
  await shoot(page, 'nuevo-documento', size);
  await open(page, 'Folios', size);
  await shoot(page, 'folios', size);
  await open(page, 'Lotes', size);
  await shoot(page, 'lotes', size);
  await open(page, 'Reportes', size);
  await shoot(page, 'reportes', size);
  await open(page, 'Clientes', size);
  await shoot(page, 'clientes', size);
  await open(page, 'Configuración', size);
  await page.waitForURL(/\/settings\/[a-z-]+$/);
  await shoot(page, 'configuracion', size);
  await page
    .getByRole('navigation', { name: 'Secciones de configuración' })
    .getByRole('link', { name: 'Webhooks' })
    .click();
  await shoot(page, 'webhooks', size);
}

let cloud: LocalCloud | undefined;
let dataDir: string | undefined;
let stack = await runningStack();
if (stack) console.log(`screenshots: using the running local cloud (${stack.webUrl})`);
else {
  console.log('screenshots: starting a local cloud on free ports…');
  dataDir = mkdtempSync(join(tmpdir(), 'factu-screenshots-'));
  cloud = await startLocalCloud({
    dataDir,
    ports: 'auto',
    ephemeralDynamoDb: true,
    schedules: { kind: 'manual', except: { RedriveSchedule: 1000 } },
  });
  stack = cloud.stack;
}
const { browser, close: closeBrowser } = await launchConsoleBrowser(stack.webUrl);
try {
  await seedDocuments(stack);
  mkdirSync(outputDir, { recursive: true });
  for (const size of ['desktop', 'phone'] as const) {
    const context = await browser.newContext({ viewport: VIEWPORTS[size], locale: 'es-PA' });
    await screens(context, stack, size);
    await context.close();
  }
} finally {
  await closeBrowser();
  await cloud?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
