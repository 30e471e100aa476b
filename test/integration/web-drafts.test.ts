import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import {
  CONSOLE_ORIGIN,
  type ConsoleBrowser,
  type OnboardedCompany,
  onboardCompany,
  signIn,
  startConsoleBrowser,
} from './helpers/browser.ts';

/**
 * Half-filled forms survive leaving the page. The console keeps its tokens in memory only, so a reload (like
 * an expired session, web-session.test.ts) starts again through the hosted UI, whose own session sends the
 * browser straight back. Each form comes back as it was left: the open editor from the address, what was
 * typed from the tab's kept draft. A saved or cancelled form forgets its draft, and signing out forgets them
 * all, so the next person on the tab starts empty.
 */
let consoleBrowser: ConsoleBrowser;
let company: OnboardedCompany;

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
  company = await onboardCompany('Borradores');
});

afterAll(async () => {
  await consoleBrowser?.close();
});

/** Leaves the page and comes back through the hosted UI's round trip, to the same address. */
async function reload(page: Page): Promise<void> {
  const address = page.url();
  await page.reload();
  await page.waitForURL(address);
}

describe('kept drafts in a browser', () => {
  it('brings every form back as it was left through a reload, forgets a saved or cancelled one, and all at sign-out', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const run = randomUUID().slice(0, 6).toUpperCase();
    const product = await company.call('POST', '/v1/products', {
      body: { code: `BOR-${run}`, description: `Resma de papel ${run}`, unitPrice: '4.50', itbmsRate: '7' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(product.status, product.text).toBe(201);
    const context = await consoleBrowser.newContext();
    const page = await signIn(context, company.admin, '/customers');
    const customerName = page.getByLabel('Nombre o razón social');

    // Act: a new customer half typed, then the page is left
    await page.getByRole('button', { name: 'Nuevo cliente' }).click();
    await customerName.fill(`Ferretería ${run}`);
    await page.getByLabel('RUC', { exact: true }).fill('155704-2-2025');
    await reload(page);

    // Assess: the editor is open again (its address), with what was typed
    expect(new URL(page.url()).searchParams.get('edit')).toBe('new');
    await expect.poll(() => customerName.inputValue()).toBe(`Ferretería ${run}`);
    expect(await page.getByLabel('RUC', { exact: true }).inputValue()).toBe('155704-2-2025');

    // Act: cancelled; a new customer again starts empty
    await page.getByRole('button', { name: 'Cancelar' }).click();
    await page.getByRole('button', { name: 'Nuevo cliente' }).click();

    // Assess
    expect(await customerName.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Cancelar' }).click();

    // Act: an existing product edited, the page left, then saved
    await page.goto(`${CONSOLE_ORIGIN}/products`);
    await page.getByRole('button', { name: `Editar Resma de papel ${run}` }).click();
    const description = page.getByLabel('Descripción del producto');
    await description.fill(`Resma de papel carta ${run}`);
    await reload(page);

    // Assess: the same product's editor, with the changed description
    expect(new URL(page.url()).searchParams.get('edit')).toBe(product.body.data.id);
    await expect.poll(() => description.inputValue()).toBe(`Resma de papel carta ${run}`);
    expect(await page.getByLabel('Código del producto').inputValue()).toBe(`BOR-${run}`);

    // Act: saved
    await page.getByRole('button', { name: 'Guardar producto' }).click();
    await page.getByText('Producto guardado.').waitFor();

    // Assess: the editor closed and the list shows the saved description; reopening shows it, not a draft
    expect(new URL(page.url()).searchParams.has('edit')).toBe(false);
    await page.getByRole('cell', { name: `Resma de papel carta ${run}`, exact: true }).waitFor();
    const saved = await company.call('GET', `/v1/products/${product.body.data.id}`);
    expect(saved.body.data.description).toBe(`Resma de papel carta ${run}`);

    // Act: the company profile, a webhook and an invitation half filled, each page left
    await page.goto(`${CONSOLE_ORIGIN}/settings/company`);
    const legalName = page.getByLabel('Razón social');
    await expect.poll(() => legalName.inputValue()).toBe(company.name);
    await legalName.fill(`${company.name} (NUEVA)`);
    await reload(page);
    await expect.poll(() => legalName.inputValue()).toBe(`${company.name} (NUEVA)`);

    await page.goto(`${CONSOLE_ORIGIN}/settings/webhooks`);
    await page.getByLabel('URL (https)').fill(`https://erp-${run.toLowerCase()}.example.com/factu`);
    await page.getByLabel('document.authorized').check();
    await reload(page);
    await expect
      .poll(() => page.getByLabel('URL (https)').inputValue())
      .toBe(`https://erp-${run.toLowerCase()}.example.com/factu`);
    expect(await page.getByLabel('document.authorized').isChecked()).toBe(true);

    await page.goto(`${CONSOLE_ORIGIN}/settings/users`);
    const inviteEmail = page.getByLabel('Correo electrónico');
    await inviteEmail.fill(`contabilidad-${run.toLowerCase()}@example.com`);
    await reload(page);

    // Assess: each came back as typed; nothing was sent (the profile still has its name)
    await expect.poll(() => inviteEmail.inputValue()).toBe(`contabilidad-${run.toLowerCase()}@example.com`);
    const profile = await company.call('GET', '/v1/profile');
    expect(profile.body.data.name).toBe(company.name);

    // Act: the person signs out, and signs in again on the same tab
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.locator('#username').waitFor();
    await page.goto(`${CONSOLE_ORIGIN}/settings/users`);
    await page.locator('#username').fill(company.admin.email);
    await page.locator('#password').fill(company.admin.password);
    await page.locator('button[type=submit]').click();
    await page.locator('#code').fill(totpCode(String(company.admin.totpSecret)));
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${CONSOLE_ORIGIN}/settings/users`);

    // Assess: every draft was forgotten at sign-out
    await inviteEmail.waitFor();
    expect(await inviteEmail.inputValue()).toBe('');
    await page.goto(`${CONSOLE_ORIGIN}/settings/company`);
    await expect.poll(() => legalName.inputValue()).toBe(company.name);
    expect(
      await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('factu.draft.'))),
    ).toEqual([]);
    expect(consoleBrowser.cspViolations).toEqual([]);
    await context.close();
  });
});
