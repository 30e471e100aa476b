/**
 * Shared helpers of the benchmarks: timing loops, percentiles, machine info and plain-text tables.
 *
 * A benchmark module (`bench/<name>.ts`) exports `run<Name>Bench(options?)` returning a `BenchReport`:
 * `results` is written as-is to `bench/results/<name>.json` (next to the date and the machine), `tables`
 * are printed by `bench/run.ts`. Timings are milliseconds everywhere.
 */
import { cpus, loadavg, totalmem } from 'node:os';

export type Summary = {
  /** Number of timed samples (warm-up excluded). */
  n: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
};

export type Table = { title: string; headers: string[]; rows: string[][]; notes?: string[] };

export type BenchReport = {
  /** What `results/<name>.json` holds besides `name`, `date` and `machine`. */
  results: Record<string, unknown>;
  tables: Table[];
};

export type MachineInfo = {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  totalMemoryMiB: number;
  /** 1, 5 and 15-minute load averages when the run started: a loaded machine inflates every number. */
  loadAverage: number[];
};

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/**
 * The p-th percentile (0..100) of ascending-sorted values, linearly interpolated between the two closest
 * ranks (the definition of numpy's default and Excel's PERCENTILE.INC). NaN for no values.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const weight = rank - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * weight;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((acc, value) => acc + value, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Rounds every number of a summary for the JSON file (µs resolution is plenty). */
export function rounded(summary: Summary, decimals = 4): Summary {
  const r = (value: number) => Number(value.toFixed(decimals));
  return {
    n: summary.n,
    min: r(summary.min),
    median: r(summary.median),
    p95: r(summary.p95),
    p99: r(summary.p99),
    mean: r(summary.mean),
    max: r(summary.max),
  };
}

export type MeasureOptions = {
  /** Untimed calls before sampling (JIT, caches, lazy compilation)… */
  warmup?: number;
  /** …for at most this long. */
  maxWarmupMs?: number;
  /** Stop after this many samples… */
  maxIterations?: number;
  /** …or once this much sampling time has elapsed, whichever first… */
  maxTimeMs?: number;
  /** …but never with fewer samples than this (unless maxTotalMs cuts in). */
  minIterations?: number;
  /** Hard cap on the whole measurement (warm-up included), to bound pathological cases. */
  maxTotalMs?: number;
};

export type Measurement = Summary & {
  /** Duration of the very first call (cold: lazy compilation, schema loading…), in ms. */
  firstCall: number;
  /**
   * The same samples in process CPU time (user + system, `process.cpuUsage()`, µs resolution): unlike the
   * wall clock it does not count the time the process waited for a core, so it stays meaningful on a loaded
   * machine. It does count helper threads (parallel GC), so it can slightly exceed wall time when idle.
   */
  cpu: Summary;
};

/** One call timed on the wall clock (hrtime) and in process CPU time; the CPU reads sit outside the wall window. */
async function timeCall(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const t1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  return { wall: Number(t1 - t0) / 1e6, cpu: (cpu.user + cpu.system) / 1000 };
}

const DEFAULTS: Required<MeasureOptions> = {
  warmup: 20,
  maxWarmupMs: 500,
  maxIterations: 5000,
  maxTimeMs: 1500,
  minIterations: 30,
  maxTotalMs: 10_000,
};

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Times `fn` (sync or async; awaited either way) after a warm-up. Each sample is one call, measured with
 * `process.hrtime.bigint()` (and in CPU time, `cpu`). The first call is reported separately as `firstCall`
 * and also counts as warm-up.
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const result = await measureInterleaved({ fn }, options);
  return result.fn;
}

/**
 * Times several functions in alternation (one call of each per round), so that they see the same machine
 * conditions — on a shared or throttled machine, a ratio of two separately measured medians drifts with
 * the background load. Same options as `measure`; the time limits apply to the whole round-robin.
 */
export async function measureInterleaved<K extends string>(
  fns: Record<K, () => unknown>,
  options: MeasureOptions = {},
): Promise<Record<K, Measurement>> {
  const o = { ...DEFAULTS, ...options };
  const keys = Object.keys(fns) as K[];
  const start = nowMs();
  const firstCalls = {} as Record<K, number>;
  for (const key of keys) firstCalls[key] = (await timeCall(fns[key])).wall;
  for (let i = 1; i < o.warmup && nowMs() - start < Math.min(o.maxWarmupMs, o.maxTotalMs / 4); i++) {
    for (const key of keys) await fns[key]();
  }
  const wall = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  const cpu = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  const samplingStart = nowMs();
  for (let round = 0; round < o.maxIterations; round++) {
    for (const key of keys) {
      const sample = await timeCall(fns[key]);
      wall[key].push(sample.wall);
      cpu[key].push(sample.cpu);
    }
    const now = nowMs();
    if (now - start >= o.maxTotalMs) break;
    if (round + 1 >= o.minIterations && now - samplingStart >= o.maxTimeMs) break;
  }
  return Object.fromEntries(
    keys.map((key) => [
      key,
      { ...summarize(wall[key]), firstCall: firstCalls[key], cpu: summarize(cpu[key]) },
    ]),
  ) as Record<K, Measurement>;
}

/** Milliseconds with a precision that suits the magnitude: 0.0123, 1.23, 12.3, 123. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 0.1) return value.toFixed(4);
  if (value < 10) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(1);
}

/** A plain-text table with right-aligned numeric-looking cells and a rule under the header. */
export function formatTable(table: Table): string {
  const { headers, rows } = table;
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = /^[-+]?[\d.,]+\s*(ms|x|%|KiB|MiB)?$/;
  const cell = (value: string, column: number) =>
    numeric.test(value) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!);
  const line = (values: string[]) =>
    values
      .map((value, column) => cell(value, column))
      .join('  ')
      .trimEnd();
  const out = [table.title, line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) out.push(line(headers.map((_, column) => row[column] ?? '')));
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join('\n');
}
