import { type BreakerState, HKA_ENVIRONMENTS, type HkaEnvironment, hkaBreaker } from '#shared/hka/breaker';
import { logger } from '#shared/observability/logger';

export type HkaHealth = { state: 'closed' | 'open'; since?: string; nextProbeAt?: string };

/** What `GET /v1/health` answers: no tenant data, only whether the platform's dependencies answer. */
export type Health = {
  status: 'ok' | 'degraded';
  checkedAt: string;
  dependencies: {
    dynamodb: 'up' | 'down';
    /** HKA per environment as its circuit breaker sees it (absent when DynamoDB, where it lives, is down). */
    hka?: Record<HkaEnvironment, HkaHealth>;
  };
};

/**
 * Reads the HKA circuit breakers (one GetItem each): that read is also the DynamoDB check. `degraded` when
 * DynamoDB does not answer — the API cannot serve anything then. An open breaker is reported, not a failure
 * of the API: documents wait for HKA durably.
 */
export async function checkHealth(now: Date): Promise<Health> {
  let breakers: BreakerState[];
  try {
    // Fresh: a cached answer would hide DynamoDB going away.
    breakers = await Promise.all(HKA_ENVIRONMENTS.map((env) => hkaBreaker.read(env, { fresh: true })));
  } catch (error) {
    logger.error('Health check: DynamoDB did not answer', { error: error as Error });
    return { status: 'degraded', checkedAt: now.toISOString(), dependencies: { dynamodb: 'down' } };
  }
  return {
    status: 'ok',
    checkedAt: now.toISOString(),
    dependencies: {
      dynamodb: 'up',
      hka: Object.fromEntries(
        breakers.map((breaker) => [breaker.environment, hkaHealthOf(breaker)]),
      ) as Record<HkaEnvironment, HkaHealth>,
    },
  };
}

function hkaHealthOf(breaker: BreakerState): HkaHealth {
  if (breaker.state === 'closed') return { state: 'closed' };
  const since = breaker.downSince ?? breaker.openedAt;
  return {
    state: 'open',
    ...(since ? { since } : {}),
    ...(breaker.nextProbeAt ? { nextProbeAt: breaker.nextProbeAt } : {}),
  };
}
