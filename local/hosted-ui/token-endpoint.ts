import type { IncomingMessage } from 'node:http';
import {
  type AppClient,
  accessTokenLifetimeSeconds,
  type UserDirectory,
} from '../emulators/cognito-directory.ts';
import { CognitoError, type SignIn } from '../emulators/cognito-sign-in.ts';
import { type Grants, pkceMatches } from './grants.ts';
import { sameSecret } from './http.ts';

export type TokenAnswer = { status: number; body: Record<string, unknown> };

const refused = (error: string): TokenAnswer => ({ status: 400, body: { error } });

/**
 * POST /oauth2/token as Cognito answers it (only `error`, no description, on failure):
 *
 * - client authentication: HTTP Basic `client_id:client_secret`, or `client_id` (+ `client_secret`) in the
 *   body; an unknown client, another pool's, or a wrong/missing secret → `invalid_client`;
 * - `authorization_code`: the client must allow the code grant (`unauthorized_client`); `code` and
 *   `redirect_uri` required (`invalid_request`); the code must be this client's, unexpired and unused, the
 *   redirect_uri the one it was issued for, and the `code_verifier` must match its PKCE challenge
 *   (`invalid_grant`) → id_token (with the `openid` scope), access_token, refresh_token;
 * - `refresh_token` → new id_token and access_token (no new refresh token);
 * - any other grant → `unsupported_grant_type` (client credentials are not emulated yet).
 */
export async function answerTokenRequest(
  req: IncomingMessage,
  form: URLSearchParams,
  {
    directory,
    signIn,
    grants,
    userPoolId,
  }: { directory: UserDirectory; signIn: SignIn; grants: Grants; userPoolId: string },
): Promise<TokenAnswer> {
  const client = await authenticateClient(req, form, directory, userPoolId);
  if (!client) return { status: 400, body: { error: 'invalid_client' } };
  const grantType = form.get('grant_type');
  if (!grantType) return refused('invalid_request');
  const lifetime = accessTokenLifetimeSeconds(client);

  if (grantType === 'authorization_code') {
    if (!(client.AllowedOAuthFlows ?? []).includes('code')) return refused('unauthorized_client');
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code || !redirectUri) return refused('invalid_request');
    const grant = grants.redeemCode(code);
    if (!grant || grant.clientId !== client.ClientId || grant.redirectUri !== redirectUri)
      return refused('invalid_grant');
    if (grant.codeChallenge && !pkceMatches(grant.codeChallenge, form.get('code_verifier')))
      return refused('invalid_grant');
    const user = await directory.user(grant.userPoolId, grant.username);
    if (!user?.Enabled) return refused('invalid_grant');
    const tokens = await directory.mintTokens(client, user, 'HostedAuth');
    return {
      status: 200,
      body: {
        ...(grant.scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
        access_token: tokens.AccessToken,
        refresh_token: tokens.RefreshToken,
        expires_in: lifetime,
        token_type: 'Bearer',
      },
    };
  }

  if (grantType === 'refresh_token') {
    if (!(client.AllowedOAuthFlows ?? []).includes('code')) return refused('unauthorized_client');
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return refused('invalid_request');
    try {
      const user = await signIn.refresh(client, refreshToken);
      const tokens = await directory.mintTokens(client, user, 'RefreshTokens');
      return {
        status: 200,
        body: {
          id_token: tokens.IdToken,
          access_token: tokens.AccessToken,
          expires_in: lifetime,
          token_type: 'Bearer',
        },
      };
    } catch (error) {
      if (error instanceof CognitoError) return refused('invalid_grant');
      throw error;
    }
  }

  return refused('unsupported_grant_type');
}

async function authenticateClient(
  req: IncomingMessage,
  form: URLSearchParams,
  directory: UserDirectory,
  userPoolId: string,
): Promise<AppClient | undefined> {
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const authorization = String(req.headers.authorization ?? '');
  if (/^Basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const headerId = separator < 0 ? decoded : decoded.slice(0, separator);
    if (clientId && clientId !== headerId) return undefined;
    clientId = headerId;
    secret = separator < 0 ? undefined : decoded.slice(separator + 1);
  }
  const client = clientId ? await directory.client(clientId) : undefined;
  if (!client || client.UserPoolId !== userPoolId) return undefined;
  if (client.ClientSecret && !sameSecret(secret, client.ClientSecret)) return undefined;
  return client;
}
