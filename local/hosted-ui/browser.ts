import { authorizeUrl, createPkce, exchangeCode, randomState, type Tokens } from '#shared/cli/login/oauth';
import { totpCode } from '../emulators/cognito-totp.ts';

/**
 * A person with a browser, scripted, for the local hosted UI: it follows redirects on the hosted UI's origin,
 * keeps its cookies, fills the page's form (e-mail and password; a new password; the TOTP set-up, reading the
 * secret off the page; the TOTP code) and stops at the redirect to another origin, the client's callback.
 * Seeding, tests and the bench sign in with it, over plain HTTP, exactly as a person would.
 */
export type Person = {
  username: string;
  password: string;
  /** The authenticator app's secret, for users who have set one up. */
  totpSecret?: string;
  /** Typed into the "change password" page (users created with a temporary password). */
  newPassword?: string;
};

export type BrowserVisit = {
  /** The redirect out of the hosted UI (the client's redirect_uri with `code` and `state`, or `error`). */
  callbackUrl: URL;
  /** The secret the TOTP set-up page showed, when this sign-in set one up. */
  enrolledTotpSecret?: string;
};

/** Sign-in failed: the hosted UI showed this message (wrong password, wrong code, …) or an error page. */
export class HostedUiSignInError extends Error {
  override readonly name = 'HostedUiSignInError';
}

const MAX_STEPS = 12;

export async function visitHostedUi(startUrl: string, person: Person): Promise<BrowserVisit> {
  const origin = new URL(startUrl).origin;
  const jar = new Map<string, string>();
  let url = new URL(startUrl);
  let request: { method: 'GET' | 'POST'; body?: string } = { method: 'GET' };
  let enrolledTotpSecret: string | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const response = await fetch(url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        ...(jar.size ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
        ...(request.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: request.body,
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = setCookie.split(';');
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== origin)
        return { callbackUrl: next, ...(enrolledTotpSecret ? { enrolledTotpSecret } : {}) };
      url = next;
      request = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    const alert = textOf(html, /<p role="alert">([\s\S]*?)<\/p>/);
    if (response.status !== 200)
      throw new HostedUiSignInError(`hosted UI ${response.status}: ${alert ?? html.slice(0, 200)}`);
    // A page that comes back with a message means the last answer was refused.
    if (alert) throw new HostedUiSignInError(alert);
    const form = parseForm(html);
    if (!form) throw new HostedUiSignInError(`no form on ${url.pathname}`);
    const fields = new URLSearchParams(form.hidden);
    if (form.names.has('password')) {
      fields.set('username', person.username);
      fields.set('password', person.password);
    } else if (form.names.has('newPassword')) {
      if (!person.newPassword) throw new HostedUiSignInError('the hosted UI asks for a new password');
      fields.set('newPassword', person.newPassword);
      fields.set('confirmPassword', person.newPassword);
    } else if (form.names.has('code')) {
      const shownSecret = textOf(html, /<code id="totp-secret">([^<]*)<\/code>/);
      if (shownSecret) enrolledTotpSecret = shownSecret;
      const secret = shownSecret ?? person.totpSecret;
      if (!secret) throw new HostedUiSignInError(`no TOTP secret for ${person.username}`);
      fields.set('code', totpCode(secret));
    } else {
      throw new HostedUiSignInError(`unexpected form on ${url.pathname}`);
    }
    url = new URL(form.action, url);
    request = { method: 'POST', body: fields.toString() };
  }
  throw new HostedUiSignInError(`no redirect to the client after ${MAX_STEPS} pages`);
}

/**
 * The whole authorization-code flow as a client app with a browser does it: PKCE, the hosted UI, the
 * callback's code (state checked) traded at the token endpoint.
 */
export async function signInWithHostedUi(
  client: { hostedUiUrl: string; clientId: string; redirectUri: string; scope?: string },
  person: Person,
): Promise<{ tokens: Tokens; enrolledTotpSecret?: string }> {
  const pkce = createPkce();
  const state = randomState();
  const visit = await visitHostedUi(
    authorizeUrl({
      hostedUiUrl: client.hostedUiUrl,
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      scope: client.scope ?? 'openid email profile',
      state,
      codeChallenge: pkce.challenge,
    }),
    person,
  );
  const code = visit.callbackUrl.searchParams.get('code');
  if (visit.callbackUrl.searchParams.get('state') !== state || !code) {
    throw new HostedUiSignInError(
      `the hosted UI redirected to ${visit.callbackUrl.origin}${visit.callbackUrl.pathname} with ${visit.callbackUrl.searchParams.get('error') ?? 'no code'}`,
    );
  }
  const tokens = await exchangeCode({
    hostedUiUrl: client.hostedUiUrl,
    clientId: client.clientId,
    redirectUri: client.redirectUri,
    code,
    codeVerifier: pkce.verifier,
  });
  return { tokens, ...(visit.enrolledTotpSecret ? { enrolledTotpSecret: visit.enrolledTotpSecret } : {}) };
}

function textOf(html: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(html);
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1].replace(/<[^>]*>/g, '').trim());
}

function parseForm(
  html: string,
): { action: string; hidden: Record<string, string>; names: Set<string> } | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const hidden: Record<string, string> = {};
  const names = new Set<string>();
  for (const [input] of (form[2] ?? '').matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (!name) continue;
    names.add(name);
    if (/\btype="hidden"/.test(input))
      hidden[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return { action: unescapeHtml(form[1] ?? ''), hidden, names };
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity] ?? '',
  );
}
