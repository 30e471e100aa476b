import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { config } from '#shared/config/config';
import type { IdTokenClaims } from './authorize.ts';

export type Verify = (token: string) => Promise<JwtPayload>;

let verify: Verify | undefined;

/**
 * Verifies an ID token of the user pool's app clients: signature (the pool's JWKS), issuer, audience,
 * `token_use: id`, expiry. On AWS through `CognitoJwtVerifier`. In the local cloud, whose cognito-local
 * names itself (`http://127.0.0.1:<port>/<pool>`) as issuer and serves its JWKS over plain HTTP, which
 * aws-jwt-verify refuses to fetch, the same checks run through `JwtVerifier` with the JWKS loaded here once;
 * only `LOCAL_COGNITO_ENDPOINT`, which the local cloud alone sets, selects that path.
 */
export async function verifyIdToken(token: string): Promise<IdTokenClaims> {
  verify ??= await createVerifier();
  const payload = await verify(token);
  return {
    sub: String(payload.sub ?? ''),
    email: typeof payload.email === 'string' ? payload.email : undefined,
    tenantId: typeof payload['custom:tenantId'] === 'string' ? payload['custom:tenantId'] : undefined,
    groups: payload['cognito:groups'],
  };
}

async function createVerifier(): Promise<Verify> {
  const { userPoolId, userPoolClientIds, localCognitoEndpoint } = config();
  if (localCognitoEndpoint) {
    return localIdTokenVerifier({ endpoint: localCognitoEndpoint, userPoolId, clientIds: userPoolClientIds });
  }
  const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId: userPoolClientIds });
  await verifier.hydrate();
  return (token) => verifier.verify(token);
}

/** The local cloud's verification of cognito-local's ID tokens (see `verifyIdToken`). */
export async function localIdTokenVerifier(pool: {
  endpoint: string;
  userPoolId: string;
  clientIds: string[];
}): Promise<Verify> {
  const issuer = `${pool.endpoint.replace(/\/$/, '')}/${pool.userPoolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const verifier = JwtVerifier.create({
    issuer,
    jwksUri,
    audience: pool.clientIds,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'id') throw new Error('not an ID token');
      if (typeof payload.exp !== 'number') throw new Error('no exp claim');
    },
  });
  const response = await fetch(jwksUri);
  if (!response.ok) throw new Error(`cannot load JWKS from ${jwksUri}: HTTP ${response.status}`);
  verifier.cacheJwks((await response.json()) as never);
  return (token) => verifier.verify(token as never);
}

export function resetIdTokenVerifierForTests(): void {
  verify = undefined;
}
