import { ForbiddenError, UnauthorizedError } from '#shared/errors';

export const ROLES = ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, taken only from claims API Gateway's Cognito authorizer has verified. */
export type TenantContext = {
  tenantId: string;
  userId: string;
  email: string | undefined;
  roles: Role[];
};

/**
 * Tenant ids end up in every key (`T#<tenantId>…`), S3 prefixes and execution names, so their alphabet is
 * restricted; `_`-prefixed ids are reserved for platform partitions (see shared/data/keys.ts).
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;

export function isValidTenantId(tenantId: string): boolean {
  return TENANT_ID_PATTERN.test(tenantId);
}

/**
 * `cognito:groups` arrives as a string: `"ADMIN,USER"`, `"[ADMIN USER]"` (API Gateway's rendering of a
 * list), a single `"ADMIN"`, or — through some local emulators — a real array. Unknown groups are ignored.
 */
export function parseGroups(raw: unknown): Role[] {
  let names: string[];
  if (Array.isArray(raw)) names = raw.map(String);
  else if (typeof raw === 'string') {
    names = raw
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter((name) => name.length > 0);
  } else names = [];
  const known = new Set<string>(ROLES);
  return [...new Set(names.filter((name): name is Role => known.has(name)))];
}

/** Reads the authorizer's claims; no claims → 401 (the route lacks an authorizer), no tenant → 403. */
export function tenantContextFromClaims(claims: Record<string, unknown> | undefined | null): TenantContext {
  if (!claims || typeof claims !== 'object') throw new UnauthorizedError();
  const userId = claims.sub;
  if (typeof userId !== 'string' || userId === '') throw new UnauthorizedError();
  const tenantId = claims['custom:tenantId'];
  if (typeof tenantId !== 'string' || !isValidTenantId(tenantId)) {
    throw new ForbiddenError('Your account is not linked to a tenant', 'TENANT_REQUIRED');
  }
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  return { tenantId, userId, email, roles: parseGroups(claims['cognito:groups']) };
}

/**
 * What each role may do inside its tenant. ADMIN manages the tenant and may also issue; USER issues and reads;
 * OPERATOR reads, downloads and resends e-mail. SUPER_ADMIN is a platform role with no tenant data access
 * through tenant routes unless it also holds a tenant role.
 */
export const PERMISSIONS = {
  'settings:manage': ['ADMIN'],
  'documents:issue': ['ADMIN', 'USER'],
  'documents:read': ['ADMIN', 'USER', 'OPERATOR'],
  'documents:resend': ['ADMIN', 'USER', 'OPERATOR'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(ctx: TenantContext, permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return ctx.roles.some((role) => allowed.includes(role));
}

export function requirePermission(ctx: TenantContext, permission: Permission): void {
  if (!can(ctx, permission)) {
    throw new ForbiddenError(`Your role does not allow ${permission}`, 'ROLE_NOT_ALLOWED');
  }
}
