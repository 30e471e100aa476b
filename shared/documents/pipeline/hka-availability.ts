import { type HkaEnvironment, hkaBreaker } from '#shared/hka/breaker';
import { HkaTransientError } from '#shared/hka/errors';
import { logger } from '#shared/observability/logger';

/**
 * Runs one call to HKA and tells the environment's circuit breaker how it went: a transient failure
 * (timeout, refused connection, 5xx, malformed answer) counts towards opening it; any answer — an
 * authorization, a rejection, refused credentials — proves HKA is up. The breaker's own write failing never
 * changes the call's outcome: the document's fate does not depend on the bookkeeping.
 */
export async function observingHka<T>(environment: HkaEnvironment, call: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await call();
  } catch (error) {
    await (error instanceof HkaTransientError
      ? hkaBreaker.recordFailure(environment, `${error.name}: ${error.message}`)
      : hkaAnswered(error)
        ? hkaBreaker.recordSuccess(environment)
        : Promise.resolve()
    ).catch((bookkeeping: unknown) =>
      logger.warn('HKA circuit breaker not updated', { environment, error: bookkeeping as Error }),
    );
    throw error;
  }
  await hkaBreaker
    .recordSuccess(environment)
    .catch((bookkeeping: unknown) =>
      logger.warn('HKA circuit breaker not updated', { environment, error: bookkeeping as Error }),
    );
  return result;
}

/** Errors that are HKA's own answer (it is reachable): rejections and refused credentials. */
function hkaAnswered(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'HkaRejectedError' || name === 'HkaAuthenticationError';
}

/**
 * The environment's circuit breaker is open and this attempt is not its probe: HKA was not called. The
 * document waits for the breaker (its next attempt no sooner than the next probe); nothing is counted
 * against HKA. Not an HkaTransientError: the workflow must not retry it within the attempt.
 */
export class HkaCircuitOpenError extends Error {
  override readonly name = 'HkaCircuitOpenError';
  constructor(
    readonly environment: HkaEnvironment,
    readonly nextProbeAt: string | undefined,
  ) {
    super(`HKA ${environment} is unreachable (circuit breaker open); waiting for its next probe`);
  }
}

/**
 * The probe of an open breaker found HKA still down. Its own name, so the workflow does not retry it within
 * the attempt: one probe is one call, never a burst.
 */
export class HkaProbeFailedError extends Error {
  override readonly name = 'HkaProbeFailedError';
}

/**
 * Whether the attempt may call HKA: the error that holds it back when the environment's breaker is open (read
 * from the per-process cache) and this attempt is not the probe the re-drive sweep let through; undefined
 * when it may go.
 */
export async function hkaGate(attempt: {
  environment?: HkaEnvironment;
  probe?: boolean;
}): Promise<HkaCircuitOpenError | undefined> {
  if (attempt.probe || !attempt.environment) return undefined;
  const breaker = await hkaBreaker.read(attempt.environment);
  return breaker.state === 'open'
    ? new HkaCircuitOpenError(attempt.environment, breaker.nextProbeAt)
    : undefined;
}

/** A probe's transient failure, as the error that ends its attempt without in-attempt retries. */
export function probeOutcome(error: unknown, probe: boolean): unknown {
  if (!probe || !(error instanceof HkaTransientError)) return error;
  return new HkaProbeFailedError(`HKA still unreachable (probe): ${error.message}`, { cause: error });
}
