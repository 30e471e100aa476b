import { flushDueDigests } from '#shared/alerts/digest';
import { now } from '#shared/clock';
import { logger } from '#shared/observability/logger';
import { logFailure, withPowertools } from '#shared/observability/middlewares';

/** Schedule → the documents-problems digests whose window has ended are mailed. */
export const handler = withPowertools(async () => {
  const result = await flushDueDigests(now());
  logger.info('Alert digests flushed', result);
  // A tenant that failed keeps its entry for the next sweep; failing the invocation would only retry all.
  return result;
}, logFailure('Alert digest flush failed'));
