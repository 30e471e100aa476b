import { config } from '#shared/config/config';
import { currentTenantId } from './tenant-scope.ts';
import { assumeTenantRoleWithSts, type CredentialsProvider, TenantSessions } from './tenant-sessions.ts';

export type { CredentialsProvider } from './tenant-sessions.ts';

/** Tenants whose session and clients a warm function keeps (least recently used first out). */
const MAX_CACHED_TENANTS = 32;

const ownClients = new Map<string, unknown>();
let sessions: { roleArn: string; sessions: TenantSessions } | undefined;

/**
 * The client of `service` for the current call: inside `runAsTenant`, the tenant's (signed with its
 * tenant-role session, cached per tenant); outside a scope, or in a function without a tenant role, the
 * function's own, one per process. `create(undefined)` builds the function's own client; `create(provider)`
 * a tenant's. Builders should pass the own client's request handler to tenant clients, so every client of
 * a service shares one socket pool and evicting a tenant's client closes nothing in use.
 */
export function scopedClient<C>(service: string, create: (credentials?: CredentialsProvider) => C): C {
  const tenantId = currentTenantId();
  const roleArn = config().tenantRoleArn;
  if (tenantId && roleArn) return tenantSessions(roleArn).client(tenantId, service, create);
  let own = ownClients.get(service) as C | undefined;
  if (!own) {
    own = create(undefined);
    ownClients.set(service, own);
  }
  return own;
}

function tenantSessions(roleArn: string): TenantSessions {
  if (sessions?.roleArn !== roleArn) {
    sessions = {
      roleArn,
      sessions: new TenantSessions(assumeTenantRoleWithSts(roleArn), MAX_CACHED_TENANTS),
    };
  }
  return sessions.sessions;
}

/** Tests change the environment and the SDK mocks between cases; production never calls this. */
export function resetScopedClientsForTests(): void {
  ownClients.clear();
  sessions = undefined;
}
