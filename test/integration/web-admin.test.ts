import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '#shared/webhooks/signature';
import { type ConsoleBrowser, expectAccessible, signIn, startConsoleBrowser } from './helpers/browser.ts';
import { demoUser } from './helpers/local-cloud.ts';

/**
 * The console's people and integrations in a real browser, as the demo ADMIN: invite a person, create an API key
 * whose secret is shown once, register a webhook to a receiver started here and send it a test (a signed
 * delivery arrives and is listed), change an alert preference that a fresh sign-in still sees, and find the key's
 * creation in Auditoría. A USER sees none of these sections. axe checks every screen, under the real CSP.
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
  it('invites, shows an API key once, tests a webhook, keeps an alert preference and audits it', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const run = Date.now().toString(36);
    const invitedEmail = `invitada-${run}@ferreteria.example.com`;
    const keyName = `Caja web ${run}`;
    const adminContext = await consoleBrowser.newContext();
    const page = await signIn(adminContext, demoUser(0, 'ADMIN'), '/settings/users');

    // Act & Assess: Usuarios — the invited person is listed
    await page.getByRole('heading', { name: 'Usuarios', level: 2 }).waitFor();
    await expectAccessible(page, 'users');
    await page.getByLabel('Correo electrónico').fill(invitedEmail);
    await page.getByLabel('Nombre', { exact: true }).fill(`Invitada ${run}`);
    await page.getByLabel('Rol', { exact: true }).selectOption('OPERATOR');
    await page.getByRole('button', { name: 'Enviar invitación' }).click();
    const invitedRow = page.locator('table.list tbody tr', { hasText: invitedEmail });
    await invitedRow.waitFor();
    expect(await invitedRow.getByLabel(`Rol de Invitada ${run}`).inputValue()).toBe('OPERATOR');

    // Claves de API — the secret once, then only the prefix
    await section(page, 'Claves de API').click();
    await page.getByLabel('Nombre', { exact: true }).fill(keyName);
    await page.getByRole('button', { name: 'Crear clave' }).click();
    const secret = (await page.getByTestId('secret-once').innerText()).trim();
    expect(secret).toMatch(/^fk_live_\S{20,}$/);
    await page.getByText('no se volverá a mostrar').waitFor();
    await expectAccessible(page, 'api key created');
    const keyRow = page.locator('table.list tbody tr', { hasText: keyName });
    const prefix = (await keyRow.locator('code').innerText()).replace('…', '');
    expect(secret.startsWith(prefix)).toBe(true);
    await section(page, 'Usuarios').click();
    await invitedRow.waitFor();
    await section(page, 'Claves de API').click();
    await keyRow.waitFor();
    expect(await page.getByTestId('secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await expectAccessible(page, 'api keys');

    // Webhooks — its signing secret once; "Enviar prueba" delivers a signed event that the list shows
    await section(page, 'Webhooks').click();
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

    // Auditoría — the key's creation, by this ADMIN
    await page.getByRole('link', { name: 'Auditoría' }).click();
    await page.getByRole('heading', { name: 'Auditoría', level: 1 }).waitFor();
    await page.getByLabel('Acción').selectOption({ label: 'Clave de API creada' });
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL(/action=api-key\.created/);
    const audited = page.locator('table.list tbody tr', { hasText: `name: ${keyName}` });
    await audited.waitFor();
    expect(await audited.innerText()).toContain(demoUser(0, 'ADMIN').email);
    await expectAccessible(page, 'audit');

    // Undone through the same screens, each after its confirmation
    await page.getByRole('link', { name: 'Configuración' }).click();
    await section(page, 'Claves de API').click();
    await keyRow.getByRole('button', { name: 'Revocar' }).click();
    await keyRow.getByRole('button', { name: 'Confirmar' }).click();
    await keyRow.waitFor({ state: 'detached' });
    await section(page, 'Webhooks').click();
    await endpoint.getByRole('button', { name: 'Eliminar' }).click();
    await endpoint.getByRole('button', { name: 'Confirmar' }).click();
    await endpoint.waitFor({ state: 'detached' });
    await section(page, 'Usuarios').click();
    await invitedRow.getByRole('button', { name: 'Eliminar' }).click();
    await invitedRow.getByRole('button', { name: 'Confirmar' }).click();
    await invitedRow.waitFor({ state: 'detached' });
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
});
