import { parseGroups, type Role } from '#shared/tenancy/context';
import { forgetAllDrafts } from '../forms/kept-drafts';
import type { ConsoleConfig } from './config';
import { CALLBACK_PATH, SIGNED_OUT_PATH } from './paths';
import { authorizeUrl, createPkce, jwtClaims, randomToken } from './pkce';

/**
 * The signed-in person's session. Tokens live in this module's memory only — never in localStorage or
 * sessionStorage, where any script on the origin could read them; a reload signs in again through the hosted
 * UI (its own session makes that a redirect round trip). The ID token is refreshed with the refresh token a
 * minute before it expires; when that fails the person is sent to sign in, and forms keep their drafts.
 */
export type Session = {
  idToken: string;
  /** The person's Cognito `sub`: whose kept form drafts are whose. */
  subject: string;
  email: string;
  roles: Role[];
  tenantId: string | undefined;
  expiresAt: number;
};

type Tokens = { idToken: string; refreshToken: string | undefined; expiresAt: number };

const PENDING_KEY = 'factu.signin';
const REFRESH_MARGIN_MS = 60_000;

let config: ConsoleConfig | undefined;
let tokens: Tokens | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | undefined;
const listeners = new Set<() => void>();
let snapshot: Session | undefined;

export function configureSession(value: ConsoleConfig): void {
  config = value;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSession(): Session | undefined {
  return snapshot;
}

function required(): ConsoleConfig {
  if (!config) throw new Error('the session is not configured');
  return config;
}

function redirectUri(): string {
  return `${window.location.origin}${CALLBACK_PATH}`;
}

function setTokens(next: Tokens | undefined): void {
  tokens = next;
  clearTimeout(refreshTimer);
  if (next) {
    const claims = jwtClaims(next.idToken);
    snapshot = {
      idToken: next.idToken,
      subject: String(claims.sub ?? ''),
      email: typeof claims.email === 'string' ? claims.email : '',
      roles: parseGroups(claims['cognito:groups']),
      tenantId: typeof claims['custom:tenantId'] === 'string' ? claims['custom:tenantId'] : undefined,
      expiresAt: next.expiresAt,
    };
    if (next.refreshToken) scheduleRefresh(next);
  } else snapshot = undefined;
  for (const listener of listeners) listener();
}

/**
 * A minute before the ID token expires, a new one from the refresh token. When that is refused (revoked by a
 * sign-out elsewhere, expired) the token still works until it expires: then one last try, and the session is
 * over — the person signs in again and comes back to this page, whose form kept its draft.
 */
function scheduleRefresh(current: Tokens): void {
  const at = (time: number, run: () => Promise<void>) => {
    refreshTimer = setTimeout(() => void run(), Math.max(time - Date.now(), 0));
  };
  at(current.expiresAt - REFRESH_MARGIN_MS, async () => {
    if ((await refresh()) || tokens !== current) return;
    at(current.expiresAt, async () => {
      if (!(await refresh()) && tokens === current) await sessionExpired();
    });
  });
}

/** Sends the browser to the hosted UI; `returnTo` is where the person lands after signing in. */
export async function signIn(returnTo: string): Promise<void> {
  const { hostedUiUrl, clientId } = required();
  const { verifier, challenge } = await createPkce();
  const state = randomToken(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, returnTo }));
  window.location.assign(
    authorizeUrl({ hostedUiUrl, clientId, redirectUri: redirectUri(), state, challenge }),
  );
}

async function tokenRequest(form: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(new URL('/oauth2/token', required().hostedUiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.id_token !== 'string')
    throw new Error(`the sign-in was refused (${String(body.error ?? response.status)})`);
  return body;
}

function tokensOf(body: Record<string, unknown>, previousRefresh?: string): Tokens {
  return {
    idToken: String(body.id_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : previousRefresh,
    expiresAt: Date.now() + Number(body.expires_in ?? 3600) * 1000,
  };
}

/** Completes the redirect from the hosted UI: checks `state`, trades the code with the PKCE verifier. */
export async function completeSignIn(search: URLSearchParams): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    state: string;
    verifier: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const error = search.get('error');
  if (error) throw new Error(`the hosted sign-in answered ${error}`);
  const code = search.get('code');
  if (!pending || !code || search.get('state') !== pending.state)
    throw new Error('this sign-in answer does not belong to a sign-in started here');
  const body = await tokenRequest({
    grant_type: 'authorization_code',
    client_id: required().clientId,
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  setTokens(tokensOf(body));
  return pending.returnTo.startsWith('/') ? pending.returnTo : '/';
}

/** A new ID token from the refresh token; false when there is none or it was refused. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokens?.refreshToken;
    if (!refreshToken) return false;
    try {
      const body = await tokenRequest({
        grant_type: 'refresh_token',
        client_id: required().clientId,
        refresh_token: refreshToken,
      });
      setTokens(tokensOf(body, refreshToken));
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** The session is over (refused refresh, expired): sign in again and come back to this page. */
export async function sessionExpired(): Promise<void> {
  setTokens(undefined);
  await signIn(`${window.location.pathname}${window.location.search}`);
}

/** Forgets the tokens and the kept drafts, and ends the hosted UI's session too: the next visitor signs in. */
export function signOut(): void {
  const { hostedUiUrl, clientId } = required();
  setTokens(undefined);
  forgetAllDrafts(sessionStorage);
  const url = new URL('/logout', hostedUiUrl);
  url.search = new URLSearchParams({
    client_id: clientId,
    logout_uri: `${window.location.origin}${SIGNED_OUT_PATH}`,
  }).toString();
  window.location.assign(url.toString());
}
