import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import { cognitoCall } from '#local/provision/cognito';
import { CONSOLE_ORIGIN, type ConsoleBrowser, signIn, startConsoleBrowser } from './helpers/browser.ts';
import { demoUser, localStack } from './helpers/local-cloud.ts';

/**
 * The console's session in a real browser: the ID token is refreshed before it expires without leaving the
 * page; a session whose refresh is refused ends at the hosted login and comes back to the half-filled form;
 * "Cerrar sesión" ends the hosted UI's session too. The browser's clock is moved (Playwright's clock), not
 * the tokens': the console's timers are what is under test, and the hosted UI mints tokens as deployed.
 */
let consoleBrowser: ConsoleBrowser;

beforeAll(async () => {
  consoleBrowser = await startConsoleBrowser();
});

afterAll(async () => {
  await consoleBrowser?.close();
});

const MINUTE = 60_000;
/** The web client's ID tokens last an hour; the console refreshes a minute before. */
const UNTIL_REFRESH = 59 * MINUTE + 5_000;

const isTokenRequest = (grantType: string) => (request: { url(): string; postData(): string | null }) =>
  new URL(request.url()).pathname === '/oauth2/token' &&
  new URLSearchParams(request.postData() ?? '').get('grant_type') === grantType;

/** The hosted UI's sign-in form is on screen (its own origin, not the console's). */
const atHostedLogin = async (page: Page) =>
  new URL(page.url()).origin === new URL(localStack().cognito.hostedUiUrl).origin &&
  (await page
    .locator('#username')
    .isVisible()
    .catch(() => false));

const menu = (page: Page) => page.locator('#main-menu');

/** Bearer tokens the console sent to the API, in order. */
function apiTokens(context: BrowserContext): string[] {
  const tokens: string[] = [];
  context.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/v1/')) return;
    const authorization = request.headers().authorization;
    if (authorization) tokens.push(authorization.replace(/^Bearer /, ''));
  });
  return tokens;
}

describe('the console session in a browser', () => {
  it('refreshes silently, returns to the half-filled form after an expired session, and signs out', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const person = demoUser(0, 'USER');
    const receiver = `Cliente Sesión ${Date.now().toString(36)}`;
    const context = await consoleBrowser.newContext();
    await context.clock.install();
    const sent = apiTokens(context);
    const page = await signIn(context, person, '/');
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    const firstToken = sent.at(-1);

    // Act: the ID token is about to expire
    const refreshed = page.waitForResponse((response) => isTokenRequest('refresh_token')(response.request()));
    await context.clock.fastForward(UNTIL_REFRESH);
    const refreshAnswer = await refreshed;
    const newToken = String((await refreshAnswer.json()).id_token);
    // Requests the previous screen had in flight may still carry the old (still valid) token: the list
    // this click asks for is the one sent with the new token, and it times out if the console never uses it.
    const listed = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/v1/documents' &&
        response.request().headers().authorization === `Bearer ${newToken}`,
    );
    await menu(page).getByRole('link', { name: 'Documentos', exact: true }).click();
    const listAnswer = await listed;

    // Assess: same page, new token, the API accepts it
    expect(refreshAnswer.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/documents');
    expect(newToken).not.toBe(firstToken);
    expect(listAnswer.status()).toBe(200);

    // Act: a half-filled form; then the refresh token is revoked (a global sign-out) and the hosted UI's own
    // session is over too (it lasts an hour): nothing can renew the session
    await menu(page).getByRole('link', { name: 'Nuevo documento' }).click();
    await page.getByLabel('Nombre o razón social').fill(receiver);
    await page.getByLabel('Descripción').fill('Servicio de mantenimiento');
    await cognitoCall(localStack().cognito.endpoint, 'AdminUserGlobalSignOut', {
      UserPoolId: localStack().cognito.userPoolId,
      Username: person.email,
    });
    await context.clearCookies();
    const refused = page.waitForResponse((response) => isTokenRequest('refresh_token')(response.request()));
    await context.clock.fastForward(UNTIL_REFRESH);
    expect((await refused).status()).toBe(400);
    // Once the ID token expires (a minute later) the console sends the person to sign in.
    await expect
      .poll(
        async () => {
          if (await atHostedLogin(page)) return true;
          await context.clock.fastForward(MINUTE).catch(() => undefined);
          return false;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
    await page.locator('#username').fill(person.email);
    await page.locator('#password').fill(person.password);
    await page.locator('button[type=submit]').click();
    await page.locator('#code').fill(totpCode(String(person.totpSecret)));
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${CONSOLE_ORIGIN}/documents/new`);

    // Assess: back on the form, the draft intact
    await expect.poll(() => page.getByLabel('Nombre o razón social').inputValue()).toBe(receiver);
    expect(await page.getByLabel('Descripción').inputValue()).toBe('Servicio de mantenimiento');

    // Act: sign out
    const loggedOut = page.waitForRequest((request) => new URL(request.url()).pathname === '/logout');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    const logout = await loggedOut;
    await expect.poll(() => atHostedLogin(page), { timeout: 15_000 }).toBe(true);
    await page.goto(`${CONSOLE_ORIGIN}/documents`, { waitUntil: 'commit' });

    // Assess: the hosted UI's session ended with the console's; a console page asks for sign-in again
    expect(new URL(logout.url()).searchParams.get('logout_uri')).toBe(`${CONSOLE_ORIGIN}/`);
    await expect.poll(() => atHostedLogin(page), { timeout: 15_000 }).toBe(true);
    expect(consoleBrowser.cspViolations).toEqual([]);
    await context.close();
  });
});
