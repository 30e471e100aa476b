/**
 * One function's counted usage as billable quantities: requests, GB-seconds, log bytes, DynamoDB units, S3
 * requests, KMS requests by price class, SQS requests, e-mails, traces. Quantities can be subtracted (a
 * schedule's idle run taken out of a window) and scaled (per document, per run).
 */
import { gbSeconds, lambdaBilledMs } from './billing';
import { lambdaPlatformLogBytes } from './log-sizes';
import type { TemplateFunction } from './template-model';
import type { FunctionUsage } from './usage';

export type FunctionTotals = {
  invocations: number;
  gbSeconds: number;
  /** The function's output plus Lambda's own lines per invocation. */
  logBytes: number;
  rru: number;
  wru: number;
  s3PutClass: number;
  s3GetClass: number;
  s3BytesPut: number;
  kmsSymmetric: number;
  kmsSignRsa2048: number;
  kmsSignOther: number;
  secretsManagerCalls: number;
  /**
   * The function's own SQS calls, plus per message its event source mapping delivered: the receive and the
   * delete, and the send when an EventBridge rule put the message in the queue.
   */
  sqsRequests: number;
  sesEmails: number;
  sesAttachmentBase64Bytes: number;
  traces: number;
};

export const TOTAL_KEYS = [
  'invocations',
  'gbSeconds',
  'logBytes',
  'rru',
  'wru',
  's3PutClass',
  's3GetClass',
  's3BytesPut',
  'kmsSymmetric',
  'kmsSignRsa2048',
  'kmsSignOther',
  'secretsManagerCalls',
  'sqsRequests',
  'sesEmails',
  'sesAttachmentBase64Bytes',
  'traces',
] as const satisfies ReadonlyArray<keyof FunctionTotals>;

export const zeroTotals = (): FunctionTotals =>
  Object.fromEntries(TOTAL_KEYS.map((key) => [key, 0])) as FunctionTotals;

export type TotalsContext = {
  /** KMS key id → key spec (`RSA_2048`, …), for the keys a Sign used. */
  kmsKeySpecs: Record<string, string>;
  /** Share of invocations whose trace X-Ray records (default sampling at scale). */
  xraySampledShare: number;
};

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Billed duration of a function's runs. Cold runs locally include starting a worker and loading the bundle,
 * which says nothing about Lambda's INIT; they are billed at the warm runs' mean (cold starts are a small
 * share at steady load). Only a function that never ran warm is billed as measured.
 */
export function billedRunMs(usage: Pick<FunctionUsage, 'warmRunMs' | 'coldRunMs'>): {
  billedMs: number;
  meanRunMs: number;
} {
  const warmMean = mean(usage.warmRunMs);
  if (usage.warmRunMs.length === 0) {
    return {
      billedMs: usage.coldRunMs.reduce((sum, ms) => sum + lambdaBilledMs(ms), 0),
      meanRunMs: mean(usage.coldRunMs),
    };
  }
  const warm = usage.warmRunMs.reduce((sum, ms) => sum + lambdaBilledMs(ms), 0);
  return { billedMs: warm + usage.coldRunMs.length * lambdaBilledMs(warmMean), meanRunMs: warmMean };
}

const ASYMMETRIC_OPERATIONS = new Set(['Sign']);

export function functionTotals(
  usage: FunctionUsage,
  fn: Pick<TemplateFunction, 'memoryMb' | 'tracing'>,
  context: TotalsContext,
  options: { queueFedByEventBridge?: boolean } = {},
): FunctionTotals {
  const { billedMs, meanRunMs } = billedRunMs(usage);
  let kmsSignRsa2048 = 0;
  let kmsSignOther = 0;
  for (const [keyId, signs] of Object.entries(usage.kmsSignsByKey)) {
    if (context.kmsKeySpecs[keyId] === 'RSA_2048') kmsSignRsa2048 += signs;
    else kmsSignOther += signs;
  }
  const signsWithoutKey =
    (usage.kms.Sign ?? 0) - Object.values(usage.kmsSignsByKey).reduce((sum, signs) => sum + signs, 0);
  kmsSignOther += Math.max(0, signsWithoutKey);
  const kmsSymmetric = Object.entries(usage.kms)
    .filter(([operation]) => !ASYMMETRIC_OPERATIONS.has(operation))
    .reduce((sum, [, calls]) => sum + calls, 0);
  return {
    invocations: usage.invocations,
    gbSeconds: gbSeconds(billedMs, fn.memoryMb),
    logBytes:
      usage.logBytes +
      usage.invocations *
        lambdaPlatformLogBytes({ memoryMb: fn.memoryMb, durationMs: meanRunMs, tracing: fn.tracing }),
    rru: usage.dynamodb.units.rru,
    wru: usage.dynamodb.units.wru,
    s3PutClass: usage.s3.putClass,
    s3GetClass: usage.s3.getClass,
    s3BytesPut: usage.s3.bytesPut,
    kmsSymmetric,
    kmsSignRsa2048,
    kmsSignOther,
    secretsManagerCalls: usage.secretsManagerCalls,
    sqsRequests: usage.sqsRequests + (options.queueFedByEventBridge ? 3 : 2) * usage.sqsMessages,
    sesEmails: usage.ses.recipients,
    sesAttachmentBase64Bytes: usage.ses.attachmentBase64Bytes,
    traces: fn.tracing ? usage.invocations * context.xraySampledShare : 0,
  };
}

/** `a − k·b`, never below zero (a window's share of a schedule's idle runs). */
export function subtractTotals(a: FunctionTotals, b: FunctionTotals, k = 1): FunctionTotals {
  return Object.fromEntries(
    TOTAL_KEYS.map((key) => [key, Math.max(0, a[key] - k * b[key])]),
  ) as FunctionTotals;
}

export function scaleTotals(a: FunctionTotals, factor: number): FunctionTotals {
  return Object.fromEntries(TOTAL_KEYS.map((key) => [key, a[key] * factor])) as FunctionTotals;
}

export function addTotals(a: FunctionTotals, b: FunctionTotals): FunctionTotals {
  return Object.fromEntries(TOTAL_KEYS.map((key) => [key, a[key] + b[key]])) as FunctionTotals;
}
