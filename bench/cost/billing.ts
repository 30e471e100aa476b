/**
 * The billing rules the model applies to counted usage: how Lambda and Step Functions Express round what
 * they bill, and price × count per 1,000 documents. Pure arithmetic, unit-tested.
 */
import type { Price } from './prices';

/** Lambda bills run time rounded up to the next millisecond (at least 1 ms). */
export function lambdaBilledMs(runMs: number): number {
  return Math.max(1, Math.ceil(runMs));
}

/** GB-seconds of one billed duration at a memory size (1 GB = 1,024 MB, as Lambda's pricing uses). */
export function gbSeconds(billedMs: number, memoryMb: number): number {
  return (billedMs / 1000) * (memoryMb / 1024);
}

/** Step Functions Express bills memory in 64 MB steps (a small workflow uses the first one). */
export const EXPRESS_MEMORY_STEP_MB = 64;

/**
 * An Express execution's billed duration: from start to end, rounded up to the next 100 ms, times the
 * memory used rounded up to 64 MB steps.
 */
export function expressBilled(
  durationMs: number,
  memoryMb = EXPRESS_MEMORY_STEP_MB,
): {
  billedMs: number;
  gbSeconds: number;
} {
  const billedMs = Math.max(100, Math.ceil(durationMs / 100) * 100);
  const billedMemoryMb = Math.max(1, Math.ceil(memoryMb / EXPRESS_MEMORY_STEP_MB)) * EXPRESS_MEMORY_STEP_MB;
  return { billedMs, gbSeconds: gbSeconds(billedMs, billedMemoryMb) };
}

/** EventBridge and SQS bill each 64 KB chunk of a payload as one event or request. */
export function chunks64k(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / (64 * 1024)));
}

export const BYTES_PER_GB = 1024 ** 3;

/** One cost line: what a count per document costs per 1,000 documents. */
export type CostLine = {
  service: string;
  what: string;
  countPerDocument: number;
  unit: string;
  unitPriceUsd: number;
  usdPerThousandDocuments: number;
  priceUrl: string;
};

export function costLine(service: string, what: string, countPerDocument: number, price: Price): CostLine {
  return {
    service,
    what,
    countPerDocument,
    unit: price.per,
    unitPriceUsd: price.usd,
    usdPerThousandDocuments: countPerDocument * price.usd * 1000,
    priceUrl: price.url,
  };
}

/** The sum of the lines' cost per 1,000 documents. */
export function totalPerThousand(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usdPerThousandDocuments, 0);
}

/** Rounds for the JSON file without losing the small lines (6 significant digits). */
export function significant(value: number, digits = 6): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
