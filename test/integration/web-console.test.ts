import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleBrowser, expectAccessible, signIn, startConsoleBrowser } from './helpers/browser.ts';
import { demoUser, issueAndWait, session } from './helpers/local-cloud.ts';

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

  it("a credit note from an authorized document's detail copies its lines and totals, and is authorized", {
    timeout: 240_000,
  }, async () => {
    // Prepare: an invoice issued through the API, two lines at 7 % and 0 % (13.00 + 0.91 + 12.75 = 26.66)
    const receiver = `Cliente Nota ${Date.now().toString(36)}`;
    const original = await issueAndWait(await session(0, 'USER'), {
      type: 'invoice',
      receiver: { type: 'final-consumer', name: receiver },
      items: [
        { description: 'Café molido de Boquete', quantity: '2', unitPrice: '6.50', itbmsRate: '7' },
        { description: 'Taza de cerámica', quantity: '3', unitPrice: '4.25', itbmsRate: '0' },
      ],
      payments: [{ method: 'cash', amount: '26.66' }],
    });
    expect(original.status, JSON.stringify(original.reasons)).toBe('AUTHORIZED');
    const context = await consoleBrowser.newContext();
    const page = await signIn(context, demoUser(0, 'USER'), `/documents/${original.id}`);

    // Act: the note from the document's own screen
    await page.getByRole('link', { name: 'Emitir nota de crédito' }).click();
    await page.waitForURL(/\/documents\/new\?/);
    const first = page.getByRole('group', { name: 'Línea 1' });
    const second = page.getByRole('group', { name: 'Línea 2' });
    await expect
      .poll(() => second.getByLabel('Descripción').inputValue(), { timeout: 30_000 })
      .toBe('Taza de cerámica');
    await expectAccessible(page, 'credit note with copied lines');

    // Assess: both lines copied, the live total is the original's
    expect(await first.getByLabel('Descripción').inputValue()).toBe('Café molido de Boquete');
    expect(await first.getByLabel('Cantidad').inputValue()).toBe('2');
    expect(await first.getByLabel('Precio unitario').inputValue()).toBe('6.50');
    expect(await first.getByLabel('ITBMS').inputValue()).toBe('7');
    expect(await second.getByLabel('Cantidad').inputValue()).toBe('3');
    expect(await second.getByLabel('Precio unitario').inputValue()).toBe('4.25');
    expect(await second.getByLabel('ITBMS').inputValue()).toBe('0');
    expect(await moneyText(page, 'live-total')).toBe('B/. 26.66');

    // Act: issue it
    await page.getByRole('button', { name: 'Emitir documento' }).click();
    await page.waitForURL(
      (url) => /^\/documents\/[0-9A-Z]{26}$/.test(url.pathname) && !url.pathname.endsWith(original.id),
    );

    // Assess: an authorized credit note of the same total
    await expect
      .poll(() => page.locator('.badge').first().innerText(), { timeout: 90_000 })
      .toBe('Autorizado');
    expect(await moneyText(page, 'document-total')).toBe('B/. 26.66');
    expect(consoleBrowser.cspViolations).toEqual([]);
    await context.close();
  });
});
