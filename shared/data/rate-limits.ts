import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '#shared/observability/logger';
import { documentClient, tableName } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

/**
 * At most `limit` uses of a per-tenant `counter` in each fixed window of `windowSeconds` (windows aligned on
 * the epoch: with 3600, each clock hour in UTC).
 */
export type RateLimit = { counter: string; limit: number; windowSeconds: number };

export type LimitDecision =
  | { allowed: true }
  | { allowed: false; exceeded: RateLimit; retryAfterSeconds: number };

function windowOf(limit: RateLimit, now: Date): { start: string; endsAt: number } {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % limit.windowSeconds);
  return { start: new Date(start * 1000).toISOString(), endsAt: start + limit.windowSeconds };
}

/**
 * One use, counted atomically in the window's own item: the conditional ADD both checks and increments, so
 * concurrent requests can never together go past the limit, and a refused request counts nothing.
 */
async function take(tenantId: string, limit: RateLimit, now: Date): Promise<boolean> {
  const window = windowOf(limit, now);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateLimitWindow(tenantId, limit.counter, window.start),
        UpdateExpression: 'ADD #used :one SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#used) OR #used < :limit',
        ExpressionAttributeNames: { '#used': 'used' },
        // Kept one window longer than needed: TTL deletion is lazy and the window key changes anyway.
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': limit.limit,
          ':expiresAt': window.endsAt + limit.windowSeconds,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

async function giveBack(tenantId: string, limit: RateLimit, now: Date): Promise<void> {
  const window = windowOf(limit, now);
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.rateLimitWindow(tenantId, limit.counter, window.start),
      UpdateExpression: 'ADD #used :minusOne',
      ConditionExpression: 'attribute_exists(#used)',
      ExpressionAttributeNames: { '#used': 'used' },
      ExpressionAttributeValues: { ':minusOne': -1 },
    }),
  );
}

/**
 * Takes one use from every limit, or from none: the first that is used up refuses the request (with the
 * seconds until its window ends) and the uses already taken from the others are given back. Counters are
 * separate items (no transaction), so concurrent requests never conflict on them; a give-back that fails leaves
 * one use counted too many, the safe side of a limit.
 */
export async function takeFromLimits(
  tenantId: string,
  limits: readonly RateLimit[],
  now: Date = new Date(),
): Promise<LimitDecision> {
  const taken: RateLimit[] = [];
  for (const limit of limits) {
    if (await take(tenantId, limit, now)) {
      taken.push(limit);
      continue;
    }
    const results = await Promise.allSettled(taken.map((other) => giveBack(tenantId, other, now)));
    for (const result of results) {
      if (result.status === 'rejected') {
        logger.warn('Rate-limit use not given back', { error: result.reason as Error });
      }
    }
    const retryAfterSeconds = Math.max(1, windowOf(limit, now).endsAt - Math.floor(now.getTime() / 1000));
    return { allowed: false, exceeded: limit, retryAfterSeconds };
  }
  return { allowed: true };
}
