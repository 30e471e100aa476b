/**
 * One metric per HKA call: operation, outcome, latency. Callers inject a sink; the default writes a
 * CloudWatch Embedded Metric Format line (what Powertools Metrics emits) when running in Lambda, and
 * nothing elsewhere so tests and local runs stay quiet.
 */
import type { HkaCallName } from './namespaces.ts';

export type HkaCallOutcome = 'success' | 'duplicate' | 'rejected' | 'authentication' | 'not-sent' | 'unknown';

export type HkaCallMetric = {
  operation: HkaCallName;
  outcome: HkaCallOutcome;
  latencyMs: number;
  /** HKA `codigo` when there was one. */
  code?: string;
};

export type HkaMetricsSink = (metric: HkaCallMetric) => void;

export function emfMetricsSink(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): HkaMetricsSink {
  return (metric) => {
    write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: 'factu',
              Dimensions: [['service', 'operation', 'outcome']],
              Metrics: [
                { Name: 'HkaCallLatency', Unit: 'Milliseconds' },
                { Name: 'HkaCalls', Unit: 'Count' },
              ],
            },
          ],
        },
        service: process.env.POWERTOOLS_SERVICE_NAME ?? 'factu',
        operation: metric.operation,
        outcome: metric.outcome,
        HkaCallLatency: Math.round(metric.latencyMs * 1000) / 1000,
        HkaCalls: 1,
        ...(metric.code ? { hkaCode: metric.code } : {}),
      }),
    );
  };
}

/** The subset of Powertools `Metrics` used: one single-metric EMF blob per call, with its own dimensions. */
export type PowertoolsMetricsLike = {
  singleMetric(): {
    addDimension(name: string, value: string): unknown;
    addMetric(name: string, unit: never, value: number): unknown;
  };
};

/** Sink onto a Powertools Metrics instance (e.g. `#shared/observability/metrics`). */
export function powertoolsMetricsSink(metrics: PowertoolsMetricsLike): HkaMetricsSink {
  return (metric) => {
    // singleMetric flushes at once with these dimensions, so per-call dimensions never leak into the
    // invocation's shared buffer.
    const single = metrics.singleMetric();
    single.addDimension('operation', metric.operation);
    single.addDimension('outcome', metric.outcome);
    single.addMetric('HkaCallLatency', 'Milliseconds' as never, metric.latencyMs);
    single.addMetric('HkaCalls', 'Count' as never, 1);
  };
}

export function defaultMetricsSink(): HkaMetricsSink {
  return process.env.AWS_LAMBDA_FUNCTION_NAME ? emfMetricsSink() : () => {};
}
