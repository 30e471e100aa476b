import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  CONSOLE_ORIGIN,
  type ConsoleBrowser,
  expectAccessible,
  signIn,
  startConsoleBrowser,
} from './helpers/browser.ts';
import { callApi, demoUser, flushAuthorizerCache, localStack } from './helpers/local-cloud.ts';
import { acceptInvitation } from './helpers/people.ts';

/**
 * The company's Configuración and the platform's Empresas in a real browser against the local cloud: the demo
 * ADMIN edits the profile, tests the HKA connection, turns contingency on, adds a branch with a point of sale
 * and uploads a certificate, each seen persisted when the screen is opened again; the platform SUPER_ADMIN
 * lists and onboards a company, suspends it (its ADMIN's API calls are refused) and reactivates it (they work
 * again); a USER and an OPERATOR see none of it. axe-core checks every screen, under
 * the console's real CSP.
 */
let consoleBrowser: ConsoleBrowser;
const files = mkdtempSync(join(tmpdir(), 'factu-web-company-'));

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
});

afterAll(async () => {
  await consoleBrowser?.close();
  rmSync(files, { recursive: true, force: true });
});

const run = Date.now().toString(36);
const digits = (count: number) => String(Date.now() % 10 ** count).padStart(count, '0');

/**
 * Tokens live in memory only: the screen opened again is a fresh page that signs in anew (the hosted UI still
 * knows the person, so it answers at once) and reads everything from the API.
 */
async function reopen(context: BrowserContext, path: string): Promise<Page> {
  for (const page of context.pages()) await page.close();
  const page = await context.newPage();
  await page.goto(`${CONSOLE_ORIGIN}${path}`);
  await page.waitForURL(`${CONSOLE_ORIGIN}${path}`);
  return page;
}

/** The tenants come in id order, a page at a time: "Ver más" until the company is on screen. */
async function findTenant(page: Page, name: string): Promise<void> {
  const list = page.getByRole('table', { name: 'Empresas registradas' });
  await list.waitFor();
  await expect
    .poll(
      async () => {
        if ((await list.getByText(name).count()) > 0) return true;
        await page.getByRole('button', { name: 'Ver más' }).click({ timeout: 5_000 });
        return false;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
}

/** A tenant's suspend or reactivate button in Empresas, then the question's "Confirmar". */
async function setTenantStatus(page: Page, action: string): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const question = page.getByRole('alertdialog');
  await question.getByRole('button', { name: 'Confirmar' }).click();
  await question.waitFor({ state: 'detached' });
}

describe('company settings and platform tenants in a browser', () => {
  it('an ADMIN manages the company; a SUPER_ADMIN onboards, suspends and reactivates one; others see none of it', {
    timeout: 420_000,
  }, async () => {
    const admin = demoUser(0, 'ADMIN');
    const tenant = localStack().demo.tenants[0];
    if (!tenant) throw new Error('no demo tenant');
    const context = await consoleBrowser.newContext();

    // Empresa: a new phone, kept after a new sign-in
    let page = await signIn(context, admin, '/settings');
    await page.waitForURL(/\/settings\/company$/);
    const phone = page.getByLabel('Teléfono (999-9999 o 9999-9999)');
    await phone.waitFor();
    await expectAccessible(page, 'company');
    await page.getByLabel(/^Código de ubicación/).fill('99-99-99');
    await page.getByRole('button', { name: 'Guardar perfil' }).click();
    await expect
      .poll(() => page.getByLabel(/^Código de ubicación/).getAttribute('aria-invalid'), { timeout: 30_000 })
      .toBe('true');
    const newPhone = `6${digits(3)}-${digits(4)}`;
    await page.getByLabel(/^Código de ubicación/).fill('8-8-7');
    await phone.fill(newPhone);
    await page.getByRole('button', { name: 'Guardar perfil' }).click();
    await page.getByText('Perfil guardado.').waitFor();
    page = await reopen(context, '/settings/company');
    await expect
      .poll(() => page.getByLabel('Teléfono (999-9999 o 9999-9999)').inputValue(), { timeout: 30_000 })
      .toBe(newPhone);

    // Credenciales HKA: the sandbox answers the connection test
    await page.getByRole('link', { name: 'Credenciales HKA' }).click();
    await page.getByRole('button', { name: 'Probar conexión' }).click();
    await expect
      .poll(() => page.getByTestId('hka-test-result').innerText(), { timeout: 30_000 })
      .toMatch(/HKA aceptó las credenciales de Demo \(pruebas\): [\d,]+ folios disponibles/);
    expect(await page.getByLabel('Token empresa').inputValue()).toBe('');
    await expectAccessible(page, 'hka credentials');

    // Emisión: contingency needs the emitter-signed channel (refused at its field), then kept on with 20 minutes
    await page.getByRole('link', { name: 'Emisión' }).click();
    const channel = page.getByLabel('Canal de emisión');
    await channel.waitFor();
    const originalChannel = await channel.inputValue();
    await expectAccessible(page, 'issuing');
    await channel.selectOption('hka-integration');
    await page.getByLabel('Emitir en contingencia cuando HKA no responda').check();
    await page.getByLabel(/^Minutos sin respuesta de HKA/).fill('20');
    await page.getByRole('button', { name: 'Guardar emisión' }).click();
    await page.getByText('contingency needs the emitter-signed channel', { exact: false }).waitFor();
    await channel.selectOption('emitter-signed');
    await page.getByRole('button', { name: 'Guardar emisión' }).click();
    await page.getByText('Configuración de emisión guardada.').waitFor();
    page = await reopen(context, '/settings/issuing');
    await page.getByLabel('Canal de emisión').waitFor();
    expect(await page.getByLabel('Emitir en contingencia cuando HKA no responda').isChecked()).toBe(true);
    expect(await page.getByLabel(/^Minutos sin respuesta de HKA/).inputValue()).toBe('20');
    // Put the shared demo tenant back as it was for the files that follow
    await page.getByLabel('Emitir en contingencia cuando HKA no responda').uncheck();
    await page.getByLabel('Canal de emisión').selectOption(originalChannel);
    await page.getByRole('button', { name: 'Guardar emisión' }).click();
    await page.getByText('Configuración de emisión guardada.').waitFor();

    // Sucursales: a new branch and a point of sale in it
    const branchCode = run.slice(-4).toUpperCase().padStart(4, 'B');
    await page.getByRole('link', { name: 'Sucursales' }).click();
    await page.getByRole('heading', { name: 'Nueva sucursal' }).waitFor();
    await page.getByLabel('Código (4 letras o dígitos)').fill(branchCode);
    await page.getByLabel('Nombre', { exact: true }).fill(`Sucursal Navegador ${run}`);
    await page.getByLabel('Dirección', { exact: true }).fill('Vía España, Local 3');
    await page.getByLabel('Código de ubicación (p. ej. 8-8-7)').fill('8-8-7');
    await page.getByLabel('Provincia').fill('PANAMA');
    await page.getByLabel('Distrito').fill('PANAMA');
    await page.getByLabel('Corregimiento').fill('BELLA VISTA');
    await page.getByLabel('Teléfono (999-9999 o 9999-9999)').fill('507-0101');
    await page.getByRole('button', { name: 'Crear sucursal' }).click();
    await page.getByText(`Sucursal ${branchCode} creada.`).waitFor();
    await page.getByLabel('Código del punto de venta (3 dígitos, no 000)').fill('002');
    await page.getByLabel('Nombre del punto de venta').fill('Caja 2');
    await page.getByRole('button', { name: 'Crear punto de venta' }).click();
    const points = page.getByRole('table', { name: `Puntos de venta de la sucursal ${branchCode}` });
    await expect
      .poll(() => points.locator('tbody tr').allInnerTexts(), { timeout: 30_000 })
      .toEqual([expect.stringMatching(/^002\s+Caja 2/)]);
    await expectAccessible(page, 'branches');
    page = await reopen(context, '/settings/branches');
    await page.getByRole('cell', { name: `Sucursal Navegador ${run}` }).waitFor();

    // Certificados: a .p12 of the company with its PIN, listed with its fingerprint
    const p12Path = join(files, 'firma.p12');
    writeFileSync(
      p12Path,
      generateTestCertificate({ ruc: tenant.ruc, dv: tenant.dv, name: tenant.name }).toP12('4321'),
    );
    await page.getByRole('link', { name: 'Certificados' }).click();
    await page.getByLabel('Archivo del certificado (.p12 o .pfx)').setInputFiles(p12Path);
    await page.getByLabel('PIN del certificado').fill('4321');
    const [answer] = await Promise.all([
      page.waitForResponse(
        (response) => response.request().method() === 'POST' && response.url().endsWith('/v1/certificates'),
      ),
      page.getByRole('button', { name: 'Cargar certificado' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    const uploaded = (await answer.json()).data as { fingerprintSha256: string };
    await page.getByText(uploaded.fingerprintSha256).waitFor();
    expect(await page.getByLabel('PIN del certificado').inputValue()).toBe('');
    await expectAccessible(page, 'certificates');
    await context.close();

    // A USER and an OPERATOR: no Configuración, no Empresas, and the sections themselves call nothing
    for (const role of ['USER', 'OPERATOR'] as const) {
      const other = await consoleBrowser.newContext();
      const otherPage = await signIn(other, demoUser(0, role), '/settings/company');
      await otherPage.getByText('Su rol no administra ninguna configuración.').first().waitFor();
      expect(await otherPage.getByRole('link', { name: 'Configuración' }).count()).toBe(0);
      expect(await otherPage.getByRole('link', { name: 'Empresas' }).count()).toBe(0);
      expect(await otherPage.getByRole('button', { name: 'Guardar perfil' }).count()).toBe(0);
      await other.close();
    }

    // Empresas: the SUPER_ADMIN lists the tenants and onboards one (a wrong DV refused at its field first)
    const platformAdmin = localStack().demo.platformUsers[0];
    if (!platformAdmin) throw new Error('no platform user');
    const platform = await consoleBrowser.newContext();
    const platformPage = await signIn(platform, platformAdmin, '/tenants');
    await findTenant(platformPage, tenant.name);
    await expectAccessible(platformPage, 'tenants');
    const ruc = `1557${digits(5)}-2-2024`;
    const dv = computeRucDv(ruc, '2');
    const name = `EMPRESA NAVEGADOR ${run.toUpperCase()}, S.A.`;
    await platformPage.getByLabel('RUC', { exact: true }).fill(ruc);
    await platformPage
      .getByLabel('DV', { exact: true })
      .fill(String((Number(dv) + 1) % 100).padStart(2, '0'));
    await platformPage.getByLabel('Razón social').fill(name);
    await platformPage.getByLabel('Dirección').fill('Calle 50, Torre Global, Piso 3');
    await platformPage.getByLabel('Código de ubicación (p. ej. 8-8-7)').fill('8-8-7');
    await platformPage.getByLabel('Nombre del administrador').fill('Ana Pérez');
    await platformPage
      .getByLabel('Correo del administrador')
      .fill(`ana.${run}@empresa-navegador.example.com`);
    await platformPage.getByRole('button', { name: 'Registrar empresa' }).click();
    await expect
      .poll(() => platformPage.getByLabel('DV', { exact: true }).getAttribute('aria-invalid'), {
        timeout: 30_000,
      })
      .toBe('true');
    await platformPage.getByLabel('DV', { exact: true }).fill(dv);
    await platformPage.getByRole('button', { name: 'Registrar empresa' }).click();
    await platformPage.getByText(`Empresa ${name} registrada`, { exact: false }).waitFor();
    await findTenant(platformPage, name);

    // Its ADMIN accepts the invitation and calls the API
    const { token } = await acceptInvitation(`ana.${run}@empresa-navegador.example.com`);
    const documentsOfItsAdmin = () => callApi('GET', '/v1/documents', { token });
    expect((await documentsOfItsAdmin()).status).toBe(200);

    // Suspended from Empresas, after confirming: its ADMIN's calls are refused
    const row = platformPage.locator('table.list tbody tr', { hasText: name });
    await setTenantStatus(platformPage, `Suspender ${name}`);
    await expect.poll(() => row.locator('.badge').innerText(), { timeout: 30_000 }).toBe('Suspendida');
    await expectAccessible(platformPage, 'tenants with a suspended one');
    await flushAuthorizerCache();
    const refused = await documentsOfItsAdmin();
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.code).toBe('TENANT_SUSPENDED');

    // Reactivated: its ADMIN's calls work again
    await setTenantStatus(platformPage, `Reactivar ${name}`);
    await expect.poll(() => row.locator('.badge').innerText(), { timeout: 30_000 }).toBe('Activa');
    await flushAuthorizerCache();
    const again = await documentsOfItsAdmin();
    expect(again.status, again.text).toBe(200);
    await platform.close();

    expect(consoleBrowser.cspViolations).toEqual([]);
  });
});
