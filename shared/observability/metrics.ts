import type { GenericLogger } from '@aws-lambda-powertools/commons/types';
import type { LogItemExtraInput } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.ts';

/** Emitted by the `logMetrics` middleware after every invocation that recorded no application metric. */
const NO_METRICS_NOTICE = 'No application metrics to publish';

/**
 * Where Metrics reports its own problems (a malformed dimension, a metric CloudWatch would drop): our
 * logger. One notice is dropped: most invocations record no application metric, and that is expected here,
 * not a warning worth a log line per request (the Powertools maintainers' advice is a logger that filters it).
 */
const metricsDiagnostics: GenericLogger = {
  debug: (message: string, ...extra: LogItemExtraInput) => logger.debug(message, ...extra),
  info: (message: string, ...extra: LogItemExtraInput) => logger.info(message, ...extra),
  warn: (message: string, ...extra: LogItemExtraInput) => {
    if (String(message).startsWith(NO_METRICS_NOTICE)) return;
    logger.warn(message, ...extra);
  },
  error: (message: string, ...extra: LogItemExtraInput) => logger.error(message, ...extra),
};

/** One metrics buffer per process, flushed by the `logMetrics` middleware at the end of every invocation. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'factu',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factu',
  logger: metricsDiagnostics,
});

export { MetricUnit };
