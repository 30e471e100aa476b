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
