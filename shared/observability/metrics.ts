import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** One metrics buffer per process; namespace/service come from POWERTOOLS_* or these defaults. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'factu',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'factu',
});

export { MetricUnit };

/** Flush at the end of an invocation; never lets a metrics failure fail the request. */
export function flushMetrics(): void {
  try {
    // Nothing stored → nothing to write (and no "no metrics" warning on every invocation).
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  } catch {
    // Metrics are best effort: an EMF serialization problem must not turn a 2xx into a 500.
  }
}
