import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { type ConsoleBrowser, expectAccessible, signIn, startConsoleBrowser } from './helpers/browser.ts';
import { demoUser, hkaSandbox } from './helpers/local-cloud.ts';

/**
 * The console's everyday flow in a real browser against the local cloud, as one story: a USER signs in through
 * the hosted login, creates a customer (the API's refusal of an unknown RUC shows at the RUC field) and two
 * products, issues an invoice to that customer picking both from the catalogue (the live totals are the API's;
 * the draft PDF is looked at before issuing), sees it AUTHORIZED, downloads its PDF (the CUFE is printed in it)
 * (the credit note copied from a document is web-console.test.ts's); an OPERATOR reads the same document without the cancel button and
 * the catalogue read-only; the USER cancels the invoice; an ADMIN invites a person and creates an API key whose
 * secret is shown once, and finds its creation in Auditoría. axe-core checks every screen, under the console's
 * real CSP.
 */
let consoleBrowser: ConsoleBrowser;

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
});

afterAll(async () => {
  await consoleBrowser?.close();
});

// Letters only: product codes without a digit read like words, and the picker must still find them by code.
const run = Date.now()
  .toString(36)
  .toUpperCase()
  .replace(/[0-9]/g, (digit) => 'ABCDEFGHIJ'[Number(digit)] ?? digit);
const randomRuc = () =>
  `${Math.floor(100_000 + Math.random() * 800_000)}-1-${2020 + Math.floor(Math.random() * 5)}`;

async function fillCustomer(page: Page, fields: { name: string; ruc: string; dv: string }) {
  await page.getByLabel('Nombre o razón social').fill(fields.name);
  await page.getByLabel('RUC', { exact: true }).fill(fields.ruc);
  await page.getByLabel('DV', { exact: true }).fill(fields.dv);
  await page.getByLabel('Dirección', { exact: true }).fill('Calle 50, Edificio Global, piso 3');
  await page.getByLabel(/^Código de ubicación/).fill('8-8-7');
  await page.getByLabel('Provincia', { exact: true }).fill('PANAMA');
  await page.getByLabel('Distrito', { exact: true }).fill('PANAMA');
  await page.getByLabel('Corregimiento', { exact: true }).fill('BELLA VISTA');
  await page.getByLabel(/^Correos electrónicos/).fill('compras@ejemplo.com.pa');
}

const section = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Secciones de configuración' })
    .getByRole('link', { name, exact: true });

/** The text pdftotext reads from a PDF (Poppler, as a person's viewer would show it). */
function pdfText(pdf: Buffer): string {
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'factu-web-pdf-'));
  try {
    writeFileSync(join(dir, 'documento.pdf'), pdf);
    return execFileSync('pdftotext', [join(dir, 'documento.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createProduct(
  page: Page,
  product: { code: string; description: string; price: string; rate: string },
) {
  await page.getByRole('button', { name: 'Nuevo producto' }).click();
  await page.getByLabel('Código del producto').fill(product.code);
  await page.getByLabel('Descripción del producto').fill(product.description);
  await page.getByLabel('Precio unitario (B/.)').fill(product.price);
  await page.getByLabel('Tasa de ITBMS').selectOption(product.rate);
  await page.getByRole('button', { name: 'Guardar producto' }).click();
  await page.getByText('Producto guardado.').waitFor();
}

describe('the console’s everyday flow in a browser', () => {
  it('a USER issues from the catalogue, downloads and cancels; an OPERATOR cannot cancel; an ADMIN invites and creates a key', {
    timeout: 480_000,
  }, async () => {
    // Prepare: a RUC the DGI registry (HKA's sandbox) knows, and one it does not
    const customerName = `Ferretería Navegador ${run}, S.A.`;
    const registered = await hkaSandbox.registerRuc({
      tipoRuc: '2',
      ruc: randomRuc(),
      razonSocial: `FERRETERIA NAVEGADOR ${run} SA`,
    });
    const unknownRuc = randomRuc();
    const userContext = await consoleBrowser.newContext();
    const page = await signIn(userContext, demoUser(0, 'USER'), '/customers');
    await page.getByRole('heading', { name: 'Clientes', level: 1 }).waitFor();
    await expectAccessible(page, 'customers');

    // Act: the Clientes form; the API refuses the unknown RUC at its field
    await page.getByRole('button', { name: 'Nuevo cliente' }).click();
    await fillCustomer(page, { name: customerName, ruc: unknownRuc, dv: computeRucDv(unknownRuc, '2') });
    await page.getByRole('button', { name: 'Guardar cliente' }).click();
    const rucInput = page.getByLabel('RUC', { exact: true });
    // The API asks HKA's registry (ConsultarRucDV): slow on a loaded machine.
    await expect.poll(() => rucInput.getAttribute('aria-invalid'), { timeout: 60_000 }).toBe('true');
    const rucError = await page.locator(`#${await rucInput.getAttribute('aria-describedby')}`).innerText();
    expect(rucError.length).toBeGreaterThan(0);
    await expectAccessible(page, 'customer form with an error');
    await rucInput.fill(registered.ruc);
    await page.getByLabel('DV', { exact: true }).fill(registered.dv);
    await page.getByRole('button', { name: 'Guardar cliente' }).click();
    await page.getByText('Cliente guardado.').waitFor();
    await page.getByLabel('Buscar por nombre o RUC').fill(`Ferretería Navegador ${run}`);
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('table.list tbody tr').first().innerText()).toContain(registered.ruc);

    // Two products through the Productos form
    await page.getByRole('link', { name: 'Productos', exact: true }).click();
    await page.getByRole('heading', { name: 'Productos', level: 1 }).waitFor();
    await createProduct(page, {
      code: `TAL-${run}`,
      description: `Taladro percutor ${run}`,
      price: '12.50',
      rate: '7',
    });
    await createProduct(page, {
      code: `GUA-${run}`,
      description: `Guantes de trabajo ${run}`,
      price: '3.20',
      rate: '0',
    });
    await expectAccessible(page, 'products');

    // Nuevo documento: the customer and both products picked from the catalogue
    await page.getByRole('link', { name: 'Nuevo documento', exact: true }).click();
    await page.getByRole('heading', { name: 'Nuevo documento', level: 1 }).waitFor();
    await page.getByLabel('Buscar cliente del catálogo').fill(`Ferretería Navegador ${run}`);
    await page.getByRole('button', { name: new RegExp(`^Elegir Ferretería Navegador ${run}`) }).click();
    expect(await page.getByLabel('Nombre o razón social').inputValue()).toBe(customerName);
    expect(await page.getByLabel('DV', { exact: true }).inputValue()).toBe(registered.dv);
    await page.getByLabel('Buscar producto del catálogo (línea 1)').fill(`TAL-${run}`);
    await page.getByRole('button', { name: new RegExp(`^Elegir TAL-${run}`) }).click();
    await page.getByLabel('Cantidad').fill('2');
    await page.getByRole('button', { name: 'Agregar línea' }).click();
    const second = page.getByRole('group', { name: 'Línea 2' });
    await second.getByLabel('Buscar producto del catálogo (línea 2)').fill(`GUA-${run}`);
    await second.getByRole('button', { name: new RegExp(`^Elegir GUA-${run}`) }).click();
    expect(await second.getByLabel('Descripción').inputValue()).toBe(`Guantes de trabajo ${run}`);
    expect(await second.getByLabel('ITBMS').inputValue()).toBe('0');
    await page.getByText('La API revisó el documento: sin errores.').waitFor({ timeout: 30_000 });
    const liveTotal = await page.getByTestId('live-total').innerText();
    const liveItbms = await page.getByTestId('live-itbms').innerText();

    // The draft PDF before issuing
    const [previewAnswer] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/documents/preview'),
      page.getByRole('button', { name: 'Generar vista previa' }).click(),
    ]);
    expect(previewAnswer.status()).toBe(200);
    const previewLink = page.getByRole('link', { name: 'Abrir la vista previa (PDF)' });
    const previewPdf = Buffer.from(
      await (await fetch(String(await previewLink.getAttribute('href')))).arrayBuffer(),
    );
    expect(previewPdf.subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessible(page, 'new document with pickers');

    await page.getByRole('button', { name: 'Emitir documento' }).click();
    await page.waitForURL(/\/documents\/[0-9A-Z]{26}$/);
    await expect
      .poll(() => page.locator('.badge').first().innerText(), { timeout: 90_000 })
      .toBe('Autorizado');

    // Assess: 2 × 12.50 at 7 % and 1 × 3.20 at 0 %, the same in the browser and in the API
    expect(liveItbms).toBe('B/. 1.75');
    expect(liveTotal).toBe('B/. 29.95');
    expect(await page.getByTestId('document-total').innerText()).toBe(liveTotal);
    await expectAccessible(page, 'document');
    const cufe = (await page.locator('code.cufe').innerText()).trim();
    expect(cufe).toMatch(/^FE[A-Z0-9-]{64}$/);
    const documentPath = new URL(page.url()).pathname;

    // The PDF behind the presigned URL the console asked for: the CUFE is printed in it
    const [pdfAnswer] = await Promise.all([
      page.waitForResponse((response) =>
        /\/v1\/documents\/[^/]+\/pdf$/.test(new URL(response.url()).pathname),
      ),
      page.getByRole('button', { name: 'Descargar PDF' }).click(),
    ]);
    const { url } = (await pdfAnswer.json()).data as { url: string };
    expect(pdfText(Buffer.from(await (await fetch(url)).arrayBuffer())).replace(/\s+/g, '')).toContain(cufe);

    // An OPERATOR reads the same document without the cancel button, and the catalogue without create, edit
    // or delete
    const operatorContext = await consoleBrowser.newContext();
    const operatorPage = await signIn(operatorContext, demoUser(0, 'OPERATOR'), documentPath);
    await expect
      .poll(() => operatorPage.locator('.badge').first().innerText(), { timeout: 30_000 })
      .toBe('Autorizado');
    await operatorPage.getByRole('button', { name: 'Descargar PDF' }).waitFor();
    expect(await operatorPage.getByRole('button', { name: 'Anular documento' }).count()).toBe(0);
    expect(await operatorPage.getByRole('link', { name: 'Nuevo documento' }).count()).toBe(0);
    await operatorPage.getByRole('link', { name: 'Clientes', exact: true }).click();
    await operatorPage.getByLabel('Buscar por nombre o RUC').fill(`Ferretería Navegador ${run}`);
    await operatorPage.getByRole('button', { name: 'Buscar', exact: true }).click();
    await expect.poll(() => operatorPage.locator('table.list tbody tr').count(), { timeout: 30_000 }).toBe(1);
    expect(await operatorPage.getByRole('button', { name: 'Nuevo cliente' }).count()).toBe(0);
    expect(await operatorPage.getByRole('button', { name: /^(Editar|Eliminar)/ }).count()).toBe(0);
    await expectAccessible(operatorPage, 'customers read-only');
    await operatorContext.close();

    // The USER cancels the invoice, still on its screen
    await page.getByRole('button', { name: 'Anular documento' }).click();
    await page.getByLabel(/Motivo de la anulación/).fill('Error en el precio facturado al cliente');
    await expectAccessible(page, 'cancel form');
    await page.getByRole('button', { name: 'Confirmar anulación' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText(), { timeout: 60_000 }).toBe('Anulado');

    // The USER deletes the customer, after confirming
    await page.getByRole('link', { name: 'Clientes', exact: true }).click();
    await page.getByLabel('Buscar por nombre o RUC').fill(`Ferretería Navegador ${run}`);
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await page.getByRole('button', { name: `Eliminar a ${customerName}` }).click();
    await expectAccessible(page, 'customer delete confirmation');
    await page.getByRole('button', { name: 'Sí, eliminar' }).click();
    await page.getByText('Cliente eliminado.').waitFor();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 30_000 }).toBe(0);
    await userContext.close();

    // An ADMIN: Usuarios — the invited person is listed with the role given
    const invitedEmail = `invitada-${run.toLowerCase()}@ferreteria.example.com`;
    const keyName = `Caja web ${run}`;
    const adminContext = await consoleBrowser.newContext();
    const admin = await signIn(adminContext, demoUser(0, 'ADMIN'), '/settings/users');
    await admin.getByRole('heading', { name: 'Usuarios', level: 2 }).waitFor();
    await expectAccessible(admin, 'users');
    await admin.getByLabel('Correo electrónico').fill(invitedEmail);
    await admin.getByLabel('Nombre', { exact: true }).fill(`Invitada ${run}`);
    await admin.getByLabel('Rol', { exact: true }).selectOption('OPERATOR');
    await admin.getByRole('button', { name: 'Enviar invitación' }).click();
    const invitedRow = admin.locator('table.list tbody tr', { hasText: invitedEmail });
    await invitedRow.waitFor();
    expect(await invitedRow.getByLabel(`Rol de Invitada ${run}`).inputValue()).toBe('OPERATOR');

    // Claves de API — the secret once, then only its prefix. The section's code comes on demand: on a slow
    // line (its chunk held back a second) the frame says a page is loading, and until its heading shows,
    // 'Nombre' is still the invitation's field.
    await admin.route(/\/assets\/api-keys-[^/]*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await section(admin, 'Claves de API').click();
    await admin.getByRole('progressbar', { name: 'Cargando la página' }).waitFor();
    await admin.getByRole('heading', { name: 'Claves de API', level: 2 }).waitFor();
    await admin.getByRole('progressbar').waitFor({ state: 'detached' });
    await admin.getByLabel('Nombre', { exact: true }).fill(keyName);
    await admin.getByRole('button', { name: 'Crear clave' }).click();
    const secret = (await admin.getByTestId('secret-once').innerText()).trim();
    expect(secret).toMatch(/^fk_live_\S{20,}$/);
    await admin.getByText('no se volverá a mostrar').waitFor();
    await expectAccessible(admin, 'api key created');
    const keyRow = admin.locator('table.list tbody tr', { hasText: keyName });
    const prefix = (await keyRow.locator('code').innerText()).replace('…', '');
    expect(secret.startsWith(prefix)).toBe(true);
    await section(admin, 'Usuarios').click();
    await invitedRow.waitFor();
    await section(admin, 'Claves de API').click();
    await keyRow.waitFor();
    expect(await admin.getByTestId('secret-once').count()).toBe(0);
    expect(await admin.content()).not.toContain(secret);
    await expectAccessible(admin, 'api keys');

    // Auditoría — the key's creation, by this ADMIN
    await admin.getByRole('link', { name: 'Auditoría' }).click();
    await admin.getByRole('heading', { name: 'Auditoría', level: 1 }).waitFor();
    await admin.getByLabel('Acción').selectOption({ label: 'Clave de API creada' });
    await admin.getByRole('button', { name: 'Filtrar' }).click();
    await admin.waitForURL(/action=api-key\.created/);
    const audited = admin.locator('table.list tbody tr', { hasText: `name: ${keyName}` });
    await audited.waitFor();
    expect(await audited.innerText()).toContain(demoUser(0, 'ADMIN').email);
    await expectAccessible(admin, 'audit');

    // Undone through the same screens, each after its confirmation
    await admin.getByRole('link', { name: 'Configuración' }).click();
    await section(admin, 'Claves de API').click();
    await keyRow.getByRole('button', { name: 'Revocar' }).click();
    await keyRow.getByRole('button', { name: 'Confirmar' }).click();
    await keyRow.waitFor({ state: 'detached' });
    await section(admin, 'Usuarios').click();
    await invitedRow.getByRole('button', { name: 'Eliminar' }).click();
    await invitedRow.getByRole('button', { name: 'Confirmar' }).click();
    await invitedRow.waitFor({ state: 'detached' });
    await adminContext.close();
    expect(consoleBrowser.cspViolations).toEqual([]);
  });
});
