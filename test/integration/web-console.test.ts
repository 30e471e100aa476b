import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleBrowser, expectAccessible, signIn, startConsoleBrowser } from './helpers/browser.ts';
import { demoUser } from './helpers/local-cloud.ts';

/**
 * The web console's document form in a real browser (Debian's chromium driven by playwright-core) against the
 * local cloud, for what web-flow.test.ts does not do: a USER types a two-line invoice without the catalogue (the
 * live totals are the API's) and double-clicks "Emitir": the invoice is issued once. axe-core checks every
 * screen, under the console's real CSP.
 */
let consoleBrowser: ConsoleBrowser;

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
});

afterAll(async () => {
  await consoleBrowser?.close();
});

const moneyText = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('the web console in a browser', () => {
  it('issues a typed two-line invoice once on a double click, with the API’s totals', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const receiver = `Cliente Navegador ${Date.now().toString(36)}`;
    const userContext = await consoleBrowser.newContext();
    const page = await signIn(userContext, demoUser(0, 'USER'), '/documents/new');
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
    await expect
      .poll(() => page.locator('.badge').first().innerText(), { timeout: 90_000 })
      .toBe('Autorizado');

    // Assess: the API's totals are the live ones
    expect(liveItbms).toBe('B/. 0.25');
    expect(liveTotal).toBe('B/. 4.65');
    expect(await moneyText(page, 'document-total')).toBe(liveTotal);

    // Issued once, found by the receiver's name
    await page.getByRole('link', { name: 'Documentos', exact: true }).click();
    await page.getByLabel('Buscar por nombre del receptor').fill(receiver);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await expectAccessible(page, 'documents');
    expect(consoleBrowser.cspViolations).toEqual([]);
    await userContext.close();
  });
});
