import { AsyncLocalStorage } from 'node:async_hooks';
import { isValidTenantId } from './context.ts';

/** A tenant scope was asked for with something that is not a tenant id, or inside another tenant's scope. */
export class TenantScopeError extends Error {
  override readonly name = 'TenantScopeError';
}

const scope = new AsyncLocalStorage<{ readonly tenantId: string }>();

/**
 * Runs `fn` as `tenantId`. Inside, `documentClient()`, `s3Client()` and `kmsClient()` sign with the
 * credentials of a tenant-role session tagged `tenantId=<tenantId>`, whose IAM policy reaches only that
 * tenant's items, objects and keys; outside, they sign as the function itself, which on AWS may touch no
 * tenant data at all, so a forgotten scope fails closed.
 *
 * The scope follows the async work started inside `fn` (AsyncLocalStorage), so two tenants served
 * concurrently in one process never see each other's clients. Nesting the same tenant is a no-op; nesting
 * another tenant is refused: code never legitimately acts for two tenants in one call chain.
 */
export function runAsTenant<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  if (typeof tenantId !== 'string' || !isValidTenantId(tenantId)) {
    return Promise.reject(new TenantScopeError('not a tenant id; no tenant scope opened'));
  }
  const current = scope.getStore();
  if (current) {
    if (current.tenantId === tenantId) return fn();
    return Promise.reject(
      new TenantScopeError(`already acting for tenant ${current.tenantId}; refusing ${tenantId}`),
    );
  }
  return scope.run({ tenantId }, fn);
}

/** The tenant of the current scope, or undefined outside any scope. */
export function currentTenantId(): string | undefined {
  return scope.getStore()?.tenantId;
}
