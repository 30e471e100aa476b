import { ForbiddenError, UnauthorizedError } from '#shared/errors';

export const ROLES = ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who acts: a person signed in through the user pool, or an integrator's API key. Recorded on documents and
 * audit entries; an API key is named by its public prefix, never by its secret.
 */
export type Actor =
  | { type: 'user'; id: string; email: string | undefined }
  | { type: 'api-key'; id: string; prefix: string };

/** How an actor is recorded on documents and their events: `user:<sub>` or `api-key:<key id>`. */
export function actorRef(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
}

/** The request an action came from, for the audit trail. */
export type RequestOrigin = { requestId: string; sourceIp: string | undefined };

/** Who is calling, taken only from what the API's authorizer verified (see `AuthorizerContext`). */
export type TenantContext = {
  tenantId: string;
  actor: Actor;
  roles: Role[];
  /** Absent outside an API request (pipeline steps, tests of services). */
  origin?: RequestOrigin;
  /**
   * Set for a `test` API key: what it issues goes to HKA's demo environment (pruebas) whatever the tenant's
   * setting, so an integrator can try a production tenant's integration without fiscal effect.
   */
  demoOnly?: true;
};

/** A platform principal acting outside any tenant (SUPER_ADMIN on the platform routes). */
export type PlatformContext = {
  tenantId: undefined;
  actor: Actor;
  roles: Role[];
  origin?: RequestOrigin;
};

/**
 * Which principals an operation serves: `tenant` (the default) acts inside the caller's tenant;
 * `platform` acts outside any tenant (tenant onboarding); `tenant-or-platform` serves both, by whether the
 * principal belongs to a tenant (the audit trail: a tenant's entries, or the platform's).
 */
export type OperationScope = 'tenant' | 'platform' | 'tenant-or-platform';

/**
 * What the API's Lambda authorizer returns as its `context` and API Gateway hands the integration as
 * `requestContext.authorizer` (values are strings: API Gateway refuses objects and arrays there). The one
 * contract between the authorizer and every route handler.
 */
export type AuthorizerContext = {
  actorType: Actor['type'];
  /** The Cognito `sub`, or the API key's id. */
  actorId: string;
  /** The user's e-mail, or the API key's public prefix. */
  actorLabel: string;
  /** Empty for a platform user (SUPER_ADMIN) with no tenant. */
  tenantId: string;
  /** Comma-separated roles. */
  roles: string;
  /** `active` or `suspended`: the tenant's status when the authorizer ran (its result is cached ≤ 60 s). */
  tenantStatus: string;
  /** An API key's environment (`test` or `live`); empty for a user. A `test` key only issues in HKA's demo. */
  apiKeyEnvironment: string;
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
 * Role lists arrive as strings: `"ADMIN,USER"`, `"[ADMIN USER]"` (API Gateway's rendering of a list claim), a
 * single `"ADMIN"`, or — through some local emulators — a real array. Unknown names are ignored.
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

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The verified actor and roles; no actor → 401 (the route lacks an authorizer). */
export function principalFromAuthorizer(authorizer: Record<string, unknown> | undefined | null): {
  actor: Actor;
  roles: Role[];
  tenantId: string | undefined;
  tenantStatus: string | undefined;
  demoOnly: boolean;
} {
  if (!authorizer || typeof authorizer !== 'object') throw new UnauthorizedError();
  const id = text(authorizer.actorId);
  const type = text(authorizer.actorType);
  if (id === '' || (type !== 'user' && type !== 'api-key')) throw new UnauthorizedError();
  const label = text(authorizer.actorLabel);
  const actor: Actor =
    type === 'user' ? { type, id, email: label || undefined } : { type, id, prefix: label };
  const tenantId = text(authorizer.tenantId);
  return {
    actor,
    roles: parseGroups(authorizer.roles),
    tenantId: isValidTenantId(tenantId) ? tenantId : undefined,
    tenantStatus: text(authorizer.tenantStatus) || undefined,
    demoOnly: type === 'api-key' && text(authorizer.apiKeyEnvironment) !== 'live',
  };
}

/** The caller's tenant context; no tenant → 403 `TENANT_REQUIRED`, a suspended tenant → 403 `TENANT_SUSPENDED`. */
export function tenantContextFromAuthorizer(
  authorizer: Record<string, unknown> | undefined | null,
  origin?: RequestOrigin,
): TenantContext {
  const { actor, roles, tenantId, tenantStatus, demoOnly } = principalFromAuthorizer(authorizer);
  if (!tenantId) throw new ForbiddenError('Your account is not linked to a tenant', 'TENANT_REQUIRED');
  if (tenantStatus === 'suspended') {
    throw new ForbiddenError('This tenant is suspended; contact the platform operator', 'TENANT_SUSPENDED');
  }
  return { tenantId, actor, roles, ...(origin ? { origin } : {}), ...(demoOnly ? { demoOnly: true } : {}) };
}

/**
 * The caller's context for an operation of `scope`. A platform operation never opens a tenant: its principal
 * is a PlatformContext even if it also belongs to one.
 */
export function callerContextFromAuthorizer(
  authorizer: Record<string, unknown> | undefined | null,
  scope: OperationScope,
  origin?: RequestOrigin,
): TenantContext | PlatformContext {
  if (scope === 'tenant') return tenantContextFromAuthorizer(authorizer, origin);
  const { actor, roles, tenantId } = principalFromAuthorizer(authorizer);
  if (scope === 'tenant-or-platform' && tenantId) return tenantContextFromAuthorizer(authorizer, origin);
  return { tenantId: undefined, actor, roles, ...(origin ? { origin } : {}) };
}

/**
 * What each role may do inside its tenant. ADMIN manages the tenant and may also issue; USER issues and reads;
 * OPERATOR reads, downloads and resends e-mail. SUPER_ADMIN is a platform role: it manages tenants and reads
 * the platform's audit trail, with no tenant data access through tenant routes unless it also holds a tenant
 * role.
 */
export const PERMISSIONS = {
  'settings:manage': ['ADMIN'],
  'documents:issue': ['ADMIN', 'USER'],
  'documents:read': ['ADMIN', 'USER', 'OPERATOR'],
  'documents:resend': ['ADMIN', 'USER', 'OPERATOR'],
  'users:manage': ['ADMIN'],
  'api-keys:manage': ['ADMIN'],
  /** Webhook endpoints: where the tenant's events are POSTed, with their signing secrets. */
  'webhooks:manage': ['ADMIN'],
  'audit:read': ['ADMIN', 'SUPER_ADMIN'],
  /** The company's customers and products: kept by those who issue, read by everyone who sells. */
  'catalogue:manage': ['ADMIN', 'USER'],
  'catalogue:read': ['ADMIN', 'USER', 'OPERATOR'],
  /** Accounting reports, the numbering audit and exports of the archive. */
  'reports:read': ['ADMIN', 'USER', 'OPERATOR'],
  /** Platform: onboard, list and suspend tenants. */
  'tenants:manage': ['SUPER_ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(ctx: { roles: readonly Role[] }, permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return ctx.roles.some((role) => allowed.includes(role));
}

export function requirePermission(ctx: { roles: readonly Role[] }, permission: Permission): void {
  if (!can(ctx, permission)) {
    throw new ForbiddenError(`Your role does not allow ${permission}`, 'ROLE_NOT_ALLOWED');
  }
}
