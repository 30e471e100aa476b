import { CognitoError } from './cognito-sign-in.ts';

/** Loopback hosts Cognito lets a redirect URL reach over plain `http` (RFC 8252 native apps, development). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An app client's `CallbackURLs` / `LogoutURLs` as Cognito accepts them (CreateUserPoolClient,
 * UpdateUserPoolClient): absolute URLs without a fragment, `http` only to a loopback host (HTTPS otherwise,
 * or an app's own scheme). Anything else → InvalidParameterException, so a template that could not be
 * deployed does not start locally either.
 */
export function checkRedirectUrls(body: Record<string, unknown>): void {
  for (const field of ['CallbackURLs', 'LogoutURLs'] as const) {
    const urls = body[field];
    if (urls === undefined) continue;
    for (const value of Array.isArray(urls) ? urls : [urls]) {
      if (!isAcceptedRedirectUrl(value))
        throw new CognitoError('InvalidParameterException', `Invalid ${field}: ${String(value)}`);
    }
  }
}

function isAcceptedRedirectUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash) return false;
  return url.protocol !== 'http:' || LOOPBACK_HOSTS.has(url.hostname);
}
