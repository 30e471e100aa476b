import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '#shared/webhooks/signature';
import {
  type ConsoleBrowser,
  expectAccessible,
  onboardCompany,
  signIn,
  startConsoleBrowser,
} from './helpers/browser.ts';
import { demoUser } from './helpers/local-cloud.ts';

/**
 * The console's people and integrations in a real browser (inviting a person and the API key shown once are in
 * web-flow.test.ts): the demo ADMIN registers a webhook to a receiver started here and sends it a test (a signed
 * delivery arrives and is listed), and changes an alert preference that a fresh sign-in still sees; the only
 * ADMIN of a company cannot demote or remove themself (the API's refusal, in Spanish, on their row). A
 * USER sees none of these sections. axe checks every screen, under the real CSP.
 */
type Received = { raw: string; signature: string; body: { id: string; type: string; test?: boolean } };

/** A webhook receiver on loopback (the local cloud allows plain http there): records every request. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({
        raw,
        signature: String(request.headers['factu-signature'] ?? ''),
        body: JSON.parse(raw),
      });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/factu/hooks`, received, server };
}

let consoleBrowser: ConsoleBrowser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
  receiver = await startReceiver();
});

afterAll(async () => {
  await consoleBrowser?.close();
  receiver?.server.close();
});

const section = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Secciones de configuración' })
    .getByRole('link', { name, exact: true });

describe('the console’s people and integrations in a browser', () => {
  it('tests a webhook and keeps an alert preference', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const run = Date.now().toString(36);
    const adminContext = await consoleBrowser.newContext();
    const page = await signIn(adminContext, demoUser(0, 'ADMIN'), '/settings/webhooks');

    // Webhooks — its signing secret once; "Enviar prueba" delivers a signed event that the list shows
    await page.getByLabel('URL (https)').fill(receiver.url);
    await page.getByLabel('document.authorized').check();
    await page.getByLabel('Descripción (opcional)').fill(`ERP ${run}`);
    await page.getByRole('button', { name: 'Registrar endpoint' }).click();
    const signingSecret = (await page.getByTestId('secret-once').innerText()).trim();
    expect(signingSecret.length).toBeGreaterThan(20);
    await expectAccessible(page, 'webhook created');
    await page.getByRole('button', { name: 'Ya la guardé' }).click();
    const endpoint = page.getByRole('article', { name: receiver.url });
    await endpoint.getByRole('button', { name: 'Enviar prueba' }).click();
    await endpoint.getByText('Prueba enviada: Entregada (HTTP 200).').waitFor({ timeout: 30_000 });
    expect(receiver.received).toHaveLength(1);
    const [delivered] = receiver.received;
    expect(delivered?.body).toMatchObject({ type: 'document.authorized', test: true });
    expect(
      verifySignature(signingSecret, String(delivered?.raw), String(delivered?.signature), {
        now: new Date(),
      }),
    ).toMatchObject({ valid: true });
    const deliveryRow = endpoint.locator('table.list tbody tr').first();
    await expect
      .poll(() => deliveryRow.innerText())
      .toMatch(/document\.authorized[\s\S]*Entregada[\s\S]*200/);
    await expectAccessible(page, 'webhooks');
    await deliveryRow.getByRole('button', { name: 'Reenviar' }).click();
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(2);
    expect(receiver.received[1]?.body.id).toBe(delivered?.body.id);
    await expect.poll(() => endpoint.locator('table.list tbody tr').count()).toBe(2);

    // Alertas — a changed preference is what a fresh sign-in reads
    await section(page, 'Alertas').click();
    const webhookAlert = page.getByLabel('Un webhook se desactiva por fallos');
    const wanted = await webhookAlert.isChecked();
    await webhookAlert.setChecked(!wanted);
    await page.getByRole('button', { name: 'Guardar preferencias' }).click();
    await page.getByText('Preferencias guardadas.').waitFor();
    await expectAccessible(page, 'alerts');
    const freshContext = await consoleBrowser.newContext();
    const fresh = await signIn(freshContext, demoUser(0, 'ADMIN'), '/settings/alerts');
    const freshAlert = fresh.getByLabel('Un webhook se desactiva por fallos');
    await freshAlert.waitFor();
    expect(await freshAlert.isChecked()).toBe(!wanted);
    // Left as it was: the demo ADMIN's preferences belong to the other tests too.
    await freshAlert.setChecked(wanted);
    await fresh.getByRole('button', { name: 'Guardar preferencias' }).click();
    await fresh.getByText('Preferencias guardadas.').waitFor();
    await freshContext.close();

    // Undone through the same screen, after its confirmation
    await section(page, 'Webhooks').click();
    await endpoint.getByRole('button', { name: 'Eliminar' }).click();
    await endpoint.getByRole('button', { name: 'Confirmar' }).click();
    await endpoint.waitFor({ state: 'detached' });
    await adminContext.close();

    // A USER: none of these sections, no Auditoría
    const userContext = await consoleBrowser.newContext();
    const userPage = await signIn(userContext, demoUser(0, 'USER'), '/settings/users');
    await userPage.getByRole('heading', { name: 'Configuración', level: 1 }).waitFor();
    for (const name of ['Usuarios', 'Claves de API', 'Webhooks', 'Alertas'])
      expect(await section(userPage, name).count(), name).toBe(0);
    expect(await userPage.getByRole('button', { name: 'Enviar invitación' }).count()).toBe(0);
    expect(await userPage.getByRole('link', { name: 'Auditoría' }).count()).toBe(0);
    await expectAccessible(userPage, 'settings as USER');
    await userContext.close();
    expect(consoleBrowser.cspViolations).toEqual([]);
  });

  it('the only ADMIN of a company cannot demote or remove themself', { timeout: 180_000 }, async () => {
    // Prepare: a company of its own, whose one person is its ADMIN (the demo tenant has more than one)
    const company = await onboardCompany('Ferreteria Unica');
    const context = await consoleBrowser.newContext();
    const page = await signIn(context, company.admin, '/settings/users');
    const own = page.locator('table.list tbody tr', { hasText: company.admin.email });
    await own.getByText('(usted)').waitFor();
    expect(await page.locator('table.list tbody tr').count()).toBe(1);
    const lastAdmin =
      'Es el último administrador habilitado: la empresa se quedaría sin nadie que la administre.';

    // Act: a lower role for themself
    await own.getByRole('combobox').selectOption('USER');

    // Assess: refused on their row, in Spanish; the role stays ADMIN
    await own.getByText(lastAdmin).waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'users, last ADMIN refused');
    const users = await company.call('GET', '/v1/users');
    expect(users.body.data.items).toEqual([expect.objectContaining({ role: 'ADMIN', enabled: true })]);
    await expect.poll(() => own.getByRole('combobox').inputValue()).toBe('ADMIN');

    // Act + Assess: removing themself, after confirming, is refused the same way (on a fresh screen, so the
    // message is the removal's, not the role change's)
    await page.reload();
    await page.waitForURL(/\/settings\/users$/);
    await own.getByRole('button', { name: 'Eliminar' }).click();
    const [removal] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'DELETE'),
      own.getByRole('button', { name: 'Confirmar' }).click(),
    ]);
    expect(removal.status()).toBe(409);
    await own.getByText(lastAdmin).waitFor({ timeout: 30_000 });
    expect((await company.call('GET', '/v1/users')).body.data.items).toHaveLength(1);
    expect(consoleBrowser.cspViolations).toEqual([]);
    await context.close();
  });
});
