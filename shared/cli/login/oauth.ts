import { createHash, randomBytes } from 'node:crypto';

/**
 * The OAuth 2.0 client side of a Cognito hosted UI (AWS's or the local one): authorization code with PKCE
 * (RFC 7636, S256) for a public client, and the token endpoint.
 */

export type Pkce = { verifier: string; challenge: string };

/** A fresh code verifier (256 random bits, base64url: 43 characters) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function randomState(): string {
  return randomBytes(16).toString('base64url');
}

export type AuthorizeParameters = {
  hostedUiUrl: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
};

export function authorizeUrl(parameters: AuthorizeParameters): string {
  const url = new URL('/oauth2/authorize', parameters.hostedUiUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: parameters.clientId,
    redirect_uri: parameters.redirectUri,
    scope: parameters.scope,
    state: parameters.state,
    code_challenge: parameters.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export type Tokens = {
  idToken?: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: string;
};

/** The token endpoint refused (`invalid_grant`, `invalid_client`, …) or answered something unexpected. */
export class TokenEndpointError extends Error {
  override readonly name = 'TokenEndpointError';
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(`the token endpoint answered ${status} ${error}`);
  }
}

async function tokenRequest(hostedUiUrl: string, form: Record<string, string>): Promise<Tokens> {
  const response = await fetch(new URL('/oauth2/token', hostedUiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TokenEndpointError(response.status, 'not JSON');
  }
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new TokenEndpointError(response.status, String(body.error ?? 'no access_token'));
  }
  return {
    ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresIn: Number(body.expires_in),
    tokenType: String(body.token_type),
  };
}

/** Trades an authorization code for tokens, proving possession of the PKCE verifier. */
export function exchangeCode(parameters: {
  hostedUiUrl: string;
  clientId: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
}): Promise<Tokens> {
  return tokenRequest(parameters.hostedUiUrl, {
    grant_type: 'authorization_code',
    client_id: parameters.clientId,
    code: parameters.code,
    redirect_uri: parameters.redirectUri,
    code_verifier: parameters.codeVerifier,
  });
}
