/**
 * The cost bench's stated assumptions (what it cannot count on the local cloud) and the product's goals,
 * shown beside the results and never used to tune them.
 */
import type { DocumentLineAssumptions } from './document-lines';

export const GOALS = { happy: 0.1, oneRetry: 0.13, tenantMonth: 0.05 } as const;

export const ASSUMPTIONS = {
  /** Added to every HKA call: production HKA answers slower than the local sandbox. */
  hkaLatencyMs: 300,
  mauPerTenant: 3,
  /** X-Ray's default sampling (1 request/s reservoir + 5 %) at scale. */
  xraySampledShare: 0.05,
  /** API Gateway execution logs at INFO without data trace, per request (not produced locally). */
  apiExecutionLogBytesPerRequest: 1500,
  /** The JSON envelope of one Step Functions log event. */
  stepFunctionsLogEventBytes: 300,
  /** Lambda's pollers per SQS event source mapping and their long-poll wait, around the clock. */
  esm: { pollersPerMapping: 5, longPollSeconds: 20, hoursPerMonth: 730 },
  idleSweepRuns: 3,
  pollingReads: 20,
} as const;

export const EXAMPLE_DOCUMENT = 'examples/documents/invoice-taxpayer.json';

export const lineAssumptions = (kmsKeySpecs: Record<string, string>): DocumentLineAssumptions => ({
  kmsKeySpecs,
  xraySampledShare: ASSUMPTIONS.xraySampledShare,
  apiExecutionLogBytesPerRequest: ASSUMPTIONS.apiExecutionLogBytesPerRequest,
  stepFunctionsLogEventBytes: ASSUMPTIONS.stepFunctionsLogEventBytes,
});
