import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { type AuthorizerContext, parseGroups } from '#shared/tenancy/context';

/** Claims as API Gateway hands them to a REST proxy integration: every value a string. */
export type ApiGatewayClaims = Record<string, string>;

/** The authorizer's verdict: the claims, or the message of the 401 (`UNAUTHORIZED` gateway response). */
export type Authorization = { claims: ApiGatewayClaims } | { refused: string };

/** Clock skew tolerated for `nbf`/`iat` in the future, as between Cognito's and API Gateway's clocks. */
export const CLOCK_SKEW_SECONDS = 60;

const UNAUTHORIZED = 'Unauthorized';
const EXPIRED = 'The incoming token has expired';

/**
 * The Cognito user pool authorizer of a REST API, done locally: the ID token's signature (JWKS fetched from
 * cognito-local once), issuer, `token_use: id`, an `exp` claim that has not passed (a token without one is
 * refused, as Cognito never issues one), and `nbf`/`iat` not in the future beyond a small clock skew are
 * verified with aws-jwt-verify; then the claims are flattened to strings as API Gateway does.
 */
export class CognitoAuthorizer {
  private readonly verifiers = new Map<string, ReturnType<typeof JwtVerifier.create>>();

  constructor(private readonly cognitoEndpoint: string) {}

  private async verifierFor(userPoolId: string) {
    const existing = this.verifiers.get(userPoolId);
    if (existing) return existing;
    const issuer = `${this.cognitoEndpoint}/${userPoolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const verifier = JwtVerifier.create({
      issuer,
      jwksUri,
      // API Gateway accepts ID tokens of any app client of the pool: no audience check, only the token use.
      audience: null,
      graceSeconds: CLOCK_SKEW_SECONDS,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
        if (typeof payload.exp !== 'number') throw new Error('no exp claim');
        // The grace period is for tokens from a clock slightly ahead (nbf, iat), not for expired ones.
        if (payload.exp <= Date.now() / 1000) throw new JwtExpiredError('token expired', payload.exp);
        if (typeof payload.iat === 'number' && payload.iat - CLOCK_SKEW_SECONDS > Date.now() / 1000) {
          throw new Error('issued in the future');
        }
      },
    });
    // aws-jwt-verify fetches JWKS over HTTPS only; cognito-local serves HTTP, so we load them ourselves.
    const response = await fetch(jwksUri);
    if (!response.ok) throw new Error(`cannot load JWKS from ${jwksUri}: HTTP ${response.status}`);
    verifier.cacheJwks((await response.json()) as never);
    this.verifiers.set(userPoolId, verifier);
    return verifier;
  }

  /**
   * Returns the claims, or the message of the 401. Accepts the raw token or `Bearer <token>` in the
   * Authorization header, like API Gateway's Cognito authorizer; an expired token is told apart, as API
   * Gateway tells it.
   */
  async authorize(authorization: string | undefined, userPoolIds: string[]): Promise<Authorization> {
    if (!authorization) return { refused: UNAUTHORIZED };
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    let refused = UNAUTHORIZED;
    for (const userPoolId of userPoolIds) {
      try {
        const verifier = await this.verifierFor(userPoolId);
        const payload = await verifier.verify(token);
        return { claims: toApiGatewayClaims(payload) };
      } catch (error) {
        // Try the next pool; 401 when none accepts it.
        if (error instanceof JwtExpiredError) refused = EXPIRED;
      }
    }
    return { refused };
  }
}

/**
 * API Gateway (REST, Cognito authorizer) passes claims as strings: arrays like `cognito:groups` joined with
 * commas, booleans and numbers as text (`auth_time` too), and `exp`/`iat` as Java-style dates
 * (`Fri Jul 29 18:52:53 UTC 2016`).
 */
export function toApiGatewayClaims(payload: JwtPayload): ApiGatewayClaims {
  const claims: ApiGatewayClaims = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[key] = value.join(',');
    else if ((key === 'exp' || key === 'iat') && typeof value === 'number') claims[key] = javaDate(value);
    else if (typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sat Nov 22 11:14:09 UTC 2026`, the format API Gateway uses for epoch claims. */
function javaDate(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * The route handlers' principal (`AuthorizerContext`) for verified Cognito claims: a user of the pool, in the
 * tenant of its immutable `custom:tenantId`, with its groups as roles.
 */
export function authorizerContextOf(claims: ApiGatewayClaims): AuthorizerContext {
  return {
    actorType: 'user',
    actorId: claims.sub ?? '',
    actorLabel: claims.email ?? '',
    tenantId: claims['custom:tenantId'] ?? '',
    roles: parseGroups(claims['cognito:groups']).join(','),
    tenantStatus: 'active',
  };
}
