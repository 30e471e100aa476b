import {
  IDEMPOTENCY_TTL_SECONDS,
  type IdempotencyClaim,
  type IdempotencyScope,
  idempotencyKeyHash,
} from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';

/**
 * The claim a request holds on its Idempotency-Key (the IN_PROGRESS record the middleware writes before the
 * handler), stored in `table` for `owner`; a claim for any other owner is one the request has lost.
 */
export function heldClaim(
  table: { put(item: Record<string, unknown>): void },
  scope: IdempotencyScope,
  owner: string,
  now: Date,
): IdempotencyClaim {
  const claim: IdempotencyClaim = { ...scope, owner, lockedUntil: now.getTime() + 20_000 };
  table.put({
    ...keys.idempotency(scope.tenantId, idempotencyKeyHash(scope.operation, scope.key)),
    status: 'IN_PROGRESS',
    bodyHash: scope.bodyHash,
    owner,
    inProgressExpiresAt: claim.lockedUntil,
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  });
  return claim;
}

/** A claim of the key that another request has taken over (never stored). */
export function lostClaim(scope: IdempotencyScope, owner: string, now: Date): IdempotencyClaim {
  return { ...scope, owner, lockedUntil: now.getTime() + 20_000 };
}
