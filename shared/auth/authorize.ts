import { timingSafeEqual } from 'node:crypto';
import { type AuthorizerContext, isValidTenantId, parseGroups } from '#shared/tenancy/context';
import { API_KEY_MARK, API_KEY_SECRET_PATTERN, type ApiKeyEnvironment } from './api-key-secret.ts';

/** What the lookup item `apiKeyLookup(hmac)` holds: enough to authorize without reading the tenant's data. */
export type ApiKeyLookup = {
  /** The HMAC the item is stored under (from its key). */
  secretHmac: string;
  tenantId: string;
  keyId: string;
  role: string;
  environment: ApiKeyEnvironment;
  prefix: string;
  /** ISO 8601; absent = never expires. */
  expiresAt?: string;
};

/** A user's access entry (`keys.userAccess`): written with every change of the tenant's user. */
export type UserAccess = { tenantId: string; role: string; enabled: boolean };

/** The claims of a verified Cognito ID token the principal is built from. */
export type IdTokenClaims = { sub: string; email?: string; tenantId?: string; groups?: unknown };

/** What the authorizer reads and writes, injected so the decision logic is tested without AWS. */
export type AuthorizerPorts = {
  hmacOf(secret: string): Promise<string>;
  findApiKey(secretHmac: string): Promise<ApiKeyLookup | undefined>;
  /** Throws when the token is not a valid, unexpired ID token of the pool's clients. */
  verifyIdToken(token: string): Promise<IdTokenClaims>;
  /** The registry entry's `status` (missing entry or attribute = active). */
  tenantStatus(tenantId: string): Promise<'active' | 'suspended'>;
  /** The user's access entry; undefined for a user not changed since access entries exist. */
  userAccess(userId: string): Promise<UserAccess | undefined>;
  /** Records the key's use (at most once a minute); failures are the port's to swallow. */
  touchApiKey(lookup: ApiKeyLookup, now: Date): Promise<void>;
  now(): Date;
};

/**
 * The one refusal: API Gateway turns exactly this message thrown by a REQUEST authorizer into its 401
 * (the UNAUTHORIZED gateway response); any other error becomes a 500.
 */
export class Unauthorized extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'Unauthorized';
  }
}

/** The bearer token of an `Authorization` header (`Bearer <token>`, or the bare token as Cognito allowed). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const token = header.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
}

/**
 * Decides who calls. An `fk_` token is an API key: its HMAC is computed and its lookup read for every such
 * token, well-formed or not, so an unknown, malformed, revoked or expired key costs the same work and is
 * refused alike. Any other token must be an ID token of the user pool. The tenant's status is read last, so a
 * suspended tenant is told apart by the route (403 TENANT_SUSPENDED) rather than as an unknown caller.
 */
export async function authorize(
  authorization: string | undefined,
  ports: AuthorizerPorts,
): Promise<AuthorizerContext> {
  const token = bearerToken(authorization);
  if (!token) throw new Unauthorized();
  if (token.startsWith(API_KEY_MARK)) {
    const principal = await apiKeyPrincipal(token, ports);
    return { ...principal, tenantStatus: await ports.tenantStatus(principal.tenantId) };
  }
  const principal = await userPrincipal(token, ports);
  if (principal.tenantId === '') return { ...principal, tenantStatus: 'active' };
  // Both reads at once: the access entry costs the caller no extra round trip.
  const [tenantStatus, access] = await Promise.all([
    ports.tenantStatus(principal.tenantId),
    ports.userAccess(principal.actorId),
  ]);
  return { ...withCurrentAccess(principal, access), tenantStatus };
}

/**
 * An ID token says what the user was when it was issued (up to an hour ago); the access entry says what the
 * user is now. A disabled or deleted user, or one moved to another tenant, is refused; a changed role applies
 * at once. Users not changed since access entries exist have none: their token's groups stand.
 */
function withCurrentAccess(
  principal: Omit<AuthorizerContext, 'tenantStatus'>,
  access: UserAccess | undefined,
): Omit<AuthorizerContext, 'tenantStatus'> {
  if (!access) return principal;
  if (!access.enabled || access.tenantId !== principal.tenantId) throw new Unauthorized();
  return { ...principal, roles: parseGroups(access.role).join(',') };
}

async function apiKeyPrincipal(
  secret: string,
  ports: AuthorizerPorts,
): Promise<Omit<AuthorizerContext, 'tenantStatus'>> {
  const secretHmac = await ports.hmacOf(secret);
  const lookup = await ports.findApiKey(secretHmac);
  const now = ports.now();
  const usable =
    lookup !== undefined &&
    sameText(lookup.secretHmac, secretHmac) &&
    API_KEY_SECRET_PATTERN.test(secret) &&
    secret.startsWith(`fk_${lookup.environment}_`) &&
    isValidTenantId(lookup.tenantId) &&
    (lookup.expiresAt === undefined || Date.parse(lookup.expiresAt) > now.getTime());
  if (!usable) throw new Unauthorized();
  await ports.touchApiKey(lookup, now);
  return {
    actorType: 'api-key',
    actorId: lookup.keyId,
    actorLabel: lookup.prefix,
    tenantId: lookup.tenantId,
    roles: parseGroups(lookup.role).join(','),
    apiKeyEnvironment: lookup.environment,
  };
}

async function userPrincipal(
  token: string,
  ports: AuthorizerPorts,
): Promise<Omit<AuthorizerContext, 'tenantStatus'>> {
  let claims: IdTokenClaims;
  try {
    claims = await ports.verifyIdToken(token);
  } catch {
    throw new Unauthorized();
  }
  return userPrincipalOf(claims);
}

/** The principal of a verified ID token: its `sub`, e-mail, `custom:tenantId` and `cognito:groups`. */
export function userPrincipalOf(claims: IdTokenClaims): Omit<AuthorizerContext, 'tenantStatus'> {
  const tenantId = claims.tenantId ?? '';
  return {
    actorType: 'user',
    actorId: claims.sub,
    actorLabel: claims.email ?? '',
    // A malformed tenant claim names no tenant: tenant routes answer 403 TENANT_REQUIRED.
    tenantId: isValidTenantId(tenantId) ? tenantId : '',
    roles: parseGroups(claims.groups).join(','),
    apiKeyEnvironment: '',
  };
}

/** Equality of two hashes without an early exit on the first differing byte. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
