import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type BrowserPerson, CHROMIUM, launchConsoleBrowser, signInToConsole } from '#local/console-browser';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { type ApiResponse, callApi, localStack, login } from './local-cloud.ts';
import { acceptInvitation, CHOSEN_PASSWORD } from './people.ts';

/**
 * The console's browser tests: a browser on the local cloud of the integration project (see
 * local/console-browser.ts), the CSP violations its pages report, and axe-core on each screen.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export { type BrowserPerson, CONSOLE_ORIGIN } from '#local/console-browser';

export type ConsoleBrowser = {
  /** A fresh browser profile (no session), desktop-sized unless a viewport is given. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Content-Security-Policy violations any page reported: the console must cause none. */
  cspViolations: string[];
  close(): Promise<void>;
};

export async function startConsoleBrowser(): Promise<ConsoleBrowser> {
  // Never skipped: without the browser the test fails (.ci/run installs Debian's chromium).
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
  const { browser, close } = await launchConsoleBrowser(localStack().webUrl);
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
    close,
  };
}

/** Signs in through the hosted UI (password, then the authenticator's code) and lands on `path`. */
export const signIn = signInToConsole;

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

export type OnboardedCompany = {
  tenantId: string;
  name: string;
  ruc: string;
  dv: string;
  /** Its only ADMIN, who accepted the invitation (a new password, an authenticator): signs in to the console. */
  admin: BrowserPerson;
  /** Calls the API as that ADMIN (a token of the acceptance's sign-in). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
};

/**
 * The SUPER_ADMIN of the platform, signed in: `call` as them. Tenants and their status are theirs to change.
 */
export async function platformAdmin(): Promise<{ call: OnboardedCompany['call'] }> {
  const person = localStack().demo.platformUsers[0];
  if (!person) throw new Error('the local cloud seeded no platform user');
  const token = await login(person.email, person.password);
  return { call: (method, path, options = {}) => callApi(method, path, { ...options, token }) };
}

/**
 * A company of the test's own, onboarded through the API by the platform's SUPER_ADMIN, with one ADMIN: for what
 * a shared demo tenant must not go through (its only ADMIN's refusals, HKA refusing its credentials).
 */
export async function onboardCompany(label: string): Promise<OnboardedCompany> {
  const suffix = randomUUID().slice(0, 8);
  const ruc = `1557${String(randomInt(10_000, 99_999))}-2-2025`;
  const dv = computeRucDv(ruc, '2');
  const name = `${label.toUpperCase()} ${suffix.toUpperCase()}, S.A.`;
  const adminEmail = `admin-${suffix}@${label.toLowerCase().replace(/[^a-z]+/g, '-')}.example.com`;
  const platform = await platformAdmin();
  const created = await platform.call('POST', '/v1/tenants', {
    body: {
      ruc,
      dv,
      name,
      address: 'Calle 50, Torre Global, Piso 3',
      locationCode: '8-8-7',
      adminEmail,
      adminName: `Administración ${label}`,
    },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(created.status, created.text).toBe(201);
  const { token, totpSecret } = await acceptInvitation(adminEmail);
  return {
    tenantId: created.body.data.id,
    name,
    ruc,
    dv,
    admin: { email: adminEmail, password: CHOSEN_PASSWORD, totpSecret },
    call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
  };
}
