import { createHash } from 'node:crypto';
import { randomToken, sameSecret } from './http.ts';

export type AuthorizationCode = {
  clientId: string;
  redirectUri: string;
  userPoolId: string;
  username: string;
  scopes: string[];
  codeChallenge?: string;
  expiresAt: number;
};

export type SignedInSession = { userPoolId: string; username: string; expiresAt: number };

/** An authorization code is valid for five minutes and once (Cognito's authorize endpoint). */
const CODE_LIFETIME_MS = 5 * 60_000;
/** The hosted UI remembers a signed-in browser for an hour (Cognito's `cognito` session cookie). */
export const SESSION_LIFETIME_MS = 60 * 60_000;

/** Authorization codes and signed-in browser sessions of the hosted UI (in memory, like Cognito's short-lived state). */
export class Grants {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly sessions = new Map<string, SignedInSession>();

  constructor(private readonly now: () => number = Date.now) {}

  issueCode(grant: Omit<AuthorizationCode, 'expiresAt'>): string {
    this.prune();
    const code = randomToken();
    this.codes.set(code, { ...grant, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  /** The code's grant, consumed whatever happens next: a code is never good for a second try. */
  redeemCode(code: string): AuthorizationCode | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant && grant.expiresAt > this.now() ? grant : undefined;
  }

  openSession(userPoolId: string, username: string): string {
    this.prune();
    const id = randomToken();
    this.sessions.set(id, { userPoolId, username, expiresAt: this.now() + SESSION_LIFETIME_MS });
    return id;
  }

  session(id: string | undefined): SignedInSession | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    return session && session.expiresAt > this.now() ? session : undefined;
  }

  closeSession(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private prune(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt <= now) this.codes.delete(code);
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

/** RFC 7636 S256: BASE64URL(SHA-256(code_verifier)) must equal the code_challenge of the authorization. */
export function pkceMatches(codeChallenge: string, codeVerifier: string | null): boolean {
  if (!codeVerifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(codeVerifier)) return false;
  return sameSecret(createHash('sha256').update(codeVerifier).digest('base64url'), codeChallenge);
}
