/**
 * One metric per HKA call: operation, outcome, latency. Callers inject a sink: Lambda code passes
 * `powertoolsMetricsSink(metrics)` (CloudWatch EMF through Powertools Metrics); the client's default records
 * nothing, so the CLI, the benchmarks and the sandbox tests stay quiet.
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

/** The client's default: no metrics outside Lambda. */
export const noMetrics: HkaMetricsSink = () => {};

/** The subset of Powertools `Metrics` used (kept structural: the HKA client does not depend on Powertools). */
export type PowertoolsMetricsLike = {
  singleMetric(): {
    addDimension(name: string, value: string): unknown;
    addMetadata(key: string, value: string): unknown;
    addMetric(name: string, unit: 'Milliseconds' | 'Count', value: number): unknown;
  };
};

/**
 * Sink onto a Powertools Metrics instance (e.g. `#shared/observability/metrics`). Each metric is its own
 * single-metric blob: it is flushed at once with the call's dimensions, so per-call dimensions never leak
 * into the invocation's shared buffer (and a single-metric instance forgets its dimensions once flushed).
 */
export function powertoolsMetricsSink(metrics: PowertoolsMetricsLike): HkaMetricsSink {
  const emit = (metric: HkaCallMetric, name: string, unit: 'Milliseconds' | 'Count', value: number) => {
    const single = metrics.singleMetric();
    single.addDimension('operation', metric.operation);
    single.addDimension('outcome', metric.outcome);
    if (metric.code) single.addMetadata('hkaCode', metric.code);
    single.addMetric(name, unit, value);
  };
  return (metric) => {
    emit(metric, 'HkaCallLatency', 'Milliseconds', metric.latencyMs);
    emit(metric, 'HkaCalls', 'Count', 1);
  };
}
