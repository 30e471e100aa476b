import type { AppClient, UserDirectory } from '../emulators/cognito-directory.ts';
import { withQuery } from './http.ts';

/** A valid request of /oauth2/authorize (or /login, which takes the same parameters). */
export type AuthorizeRequest = {
  client: AppClient;
  redirectUri: string;
  state?: string;
  scopes: string[];
  codeChallenge?: string;
  /** The request's query string, carried unchanged through the sign-in pages. */
  query: string;
};

export type AuthorizeOutcome =
  | { ok: true; request: AuthorizeRequest }
  /** Where Cognito sends the browser instead: its error page, or the client's redirect_uri with `error`. */
  | { ok: false; location: string };

const OIDC_CLAIM_SCOPES = ['email', 'phone', 'profile'];

/**
 * Checks an authorization request against the app client the way Cognito's hosted UI does. Before the
 * client and its redirect_uri are trusted, errors go to the hosted UI's own error page (`/error?error=…`);
 * after, to the redirect_uri with `error` (and `state`):
 *
 * | problem | answer |
 * |---|---|
 * | client_id or redirect_uri missing | `/error?error=Required parameters missing` |
 * | unknown client, another pool's, or not enabled for OAuth | `/error?error=invalid_request&client_id=…` |
 * | redirect_uri not one of the client's CallbackURLs | `/error?error=redirect_mismatch&client_id=…` |
 * | response_type missing, PKCE method other than S256 or half given, identity provider not offered | `invalid_request` |
 * | response_type neither code nor token | `unsupported_response_type` |
 * | response_type the client may not use (AllowedOAuthFlows) | `unauthorized_client` |
 * | a scope the client does not allow, or email/phone/profile without openid | `invalid_scope` |
 */
export async function checkAuthorizeRequest(
  query: URLSearchParams,
  { directory, userPoolId, baseUrl }: { directory: UserDirectory; userPoolId: string; baseUrl: string },
): Promise<AuthorizeOutcome> {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  const errorPage = (parameters: Record<string, string>) => ({
    ok: false as const,
    location: withQuery(`${baseUrl}/error`, parameters),
  });
  if (!clientId || !redirectUri) return errorPage({ error: 'Required parameters missing' });
  const client = await directory.client(clientId);
  if (!client || client.UserPoolId !== userPoolId || client.AllowedOAuthFlowsUserPoolClient !== true) {
    return errorPage({ error: 'invalid_request', client_id: clientId });
  }
  if (!(client.CallbackURLs ?? []).includes(redirectUri)) {
    return errorPage({ error: 'redirect_mismatch', client_id: clientId });
  }

  const state = query.get('state') ?? undefined;
  const toClient = (error: string) => ({
    ok: false as const,
    location: withQuery(redirectUri, { error, state }),
  });
  const flows = client.AllowedOAuthFlows ?? [];
  const responseType = query.get('response_type');
  if (!responseType) return toClient('invalid_request');
  if (responseType !== 'code' && responseType !== 'token') return toClient('unsupported_response_type');
  if (!flows.includes(responseType === 'code' ? 'code' : 'implicit')) return toClient('unauthorized_client');
  // The implicit grant is not emulated: no client of the template allows it (tokens in a URL fragment).
  if (responseType === 'token') return toClient('unsupported_response_type');

  const method = query.get('code_challenge_method');
  const challenge = query.get('code_challenge');
  if ((method && method !== 'S256') || Boolean(method) !== Boolean(challenge))
    return toClient('invalid_request');

  const provider = query.get('identity_provider');
  const providers = client.SupportedIdentityProviders ?? [];
  if (!providers.includes('COGNITO') || (provider && provider !== 'COGNITO'))
    return toClient('invalid_request');

  const allowed = client.AllowedOAuthScopes ?? [];
  const requested = (query.get('scope') ?? '').split(' ').filter(Boolean);
  const scopes = requested.length ? requested : allowed;
  if (scopes.some((scope) => !allowed.includes(scope))) return toClient('invalid_scope');
  if (scopes.some((scope) => OIDC_CLAIM_SCOPES.includes(scope)) && !scopes.includes('openid')) {
    return toClient('invalid_scope');
  }

  return {
    ok: true,
    request: {
      client,
      redirectUri,
      state,
      scopes,
      ...(challenge ? { codeChallenge: challenge } : {}),
      query: query.toString(),
    },
  };
}
