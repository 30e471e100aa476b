/**
 * Where the time goes while the pipeline bench runs, measured from outside the local cloud's code:
 *
 * - Lambda pools: `FunctionPool.prototype.invoke`/`acquire` (`local/lambda/pool.ts`, the same module
 *   instance the local cloud loads in this process) are wrapped to time, per function, the wait for a free
 *   sandbox (the pool caps at 8 per function) apart from the run itself, and to count sandboxes created.
 * - CPU: this process's main thread (API Gateway emulation, Step Functions interpreter, HKA sandbox,
 *   s3rver, SQS, Cognito, the bench's own HTTP client) vs its other threads (the Lambda worker threads, GC,
 *   libuv), and the child processes (DynamoDB Local's JVM), from /proc; the whole machine from /proc/stat.
 * - The main thread's event-loop delay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FunctionPool } from '#local/lambda/pool';
import { percentile } from '../stats';

type FunctionSamples = {
  execMs: number[];
  waitMs: number[];
  coldExecMs: number[];
  errors: number;
  inFlight: number;
  maxInFlight: number;
};

export type FunctionStats = {
  invocations: number;
  errors: number;
  /** Sandboxes created in the window (each one a cold start: worker + module load). */
  coldStarts: number;
  /** Runs on a just-created sandbox (worker start + bundle load + the call). */
  coldRunP50Ms: number;
  coldRunMaxMs: number;
  execP50Ms: number;
  execP99Ms: number;
  execMeanMs: number;
  /** Sum of run time: how much sandbox time this function consumed in the window. */
  execTotalSeconds: number;
  /** Waiting for a free sandbox (all 8 busy) before the run. */
  waitP50Ms: number;
  waitP99Ms: number;
  waitMaxMs: number;
  /** Calls in flight at once, those waiting for a sandbox included. */
  maxInFlight: number;
};

export type LambdaRecorder = {
  reset(): void;
  stats(): Record<string, FunctionStats>;
  /**
   * Runs once per function before its first sandbox starts, with the environment its sandboxes will get
   * (mutable: e.g. to point `AWS_ENDPOINT_URL_DYNAMODB` elsewhere).
   */
  beforeFirstSandbox(
    hook: ((functionName: string, env: Record<string, string>) => Promise<void>) | undefined,
  ): void;
};

let recorder: (LambdaRecorder & { samples: Map<string, FunctionSamples> }) | undefined;

type PoolInternals = {
  spec: { name: string; logicalId: string };
  env: Record<string, string>;
  sandboxes: unknown[];
  acquire(): Promise<unknown>;
  release(sandbox: unknown): void;
  invoke(event: unknown, requestId?: string): Promise<unknown>;
};

/** Stamped on a sandbox between acquire() and release(). */
type Stamp = { start: number; cold: boolean };
const STAMP = Symbol('pipeline-bench');

/** CDK logical ids end in an 8-hex-digit hash: `IssueDocumentFnA1B2C3D4` → `IssueDocumentFn`. */
const shortName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

/** Wraps the local Lambda pools once per process; returns the recorder. */
export function instrumentLambdaPools(): LambdaRecorder {
  if (recorder) return recorder;
  const samples = new Map<string, FunctionSamples>();
  const of = (pool: PoolInternals) => {
    const key = shortName(pool.spec.logicalId);
    let entry = samples.get(key);
    if (!entry) {
      entry = { execMs: [], waitMs: [], coldExecMs: [], errors: 0, inFlight: 0, maxInFlight: 0 };
      samples.set(key, entry);
    }
    return entry;
  };
  const prototype = FunctionPool.prototype as unknown as PoolInternals;
  const originalAcquire = prototype.acquire;
  const originalRelease = prototype.release;
  const originalInvoke = prototype.invoke;
  let firstSandboxHook: ((functionName: string, env: Record<string, string>) => Promise<void>) | undefined;
  const prepared = new WeakMap<object, Promise<void>>();
  // acquire → release brackets one run on one sandbox: the wait before, the run (worker round trip) after.
  prototype.acquire = async function (this: PoolInternals) {
    if (firstSandboxHook) {
      let ready = prepared.get(this);
      if (!ready) {
        ready = firstSandboxHook(shortName(this.spec.logicalId), this.env);
        prepared.set(this, ready);
      }
      await ready;
    }
    const before = new Set(this.sandboxes);
    const t0 = performance.now();
    const sandbox = (await originalAcquire.call(this)) as Record<symbol, Stamp | undefined>;
    const now = performance.now();
    of(this).waitMs.push(now - t0);
    sandbox[STAMP] = { start: now, cold: !before.has(sandbox) };
    return sandbox;
  };
  prototype.release = function (this: PoolInternals, sandbox: unknown) {
    const stamped = sandbox as Record<symbol, Stamp | undefined>;
    const stamp = stamped[STAMP];
    if (stamp) {
      stamped[STAMP] = undefined;
      const entry = of(this);
      // A run on a just-created sandbox includes the worker start and the module load: kept apart.
      (stamp.cold ? entry.coldExecMs : entry.execMs).push(performance.now() - stamp.start);
    }
    originalRelease.call(this, sandbox);
  };
  prototype.invoke = async function (this: PoolInternals, event: unknown, requestId?: string) {
    const entry = of(this);
    entry.inFlight += 1;
    entry.maxInFlight = Math.max(entry.maxInFlight, entry.inFlight);
    try {
      return await originalInvoke.call(this, event, requestId);
    } catch (error) {
      entry.errors += 1;
      throw error;
    } finally {
      entry.inFlight -= 1;
    }
  };

  recorder = {
    samples,
    beforeFirstSandbox(hook) {
      firstSandboxHook = hook;
    },
    reset() {
      for (const entry of samples.values()) {
        entry.execMs = [];
        entry.waitMs = [];
        entry.coldExecMs = [];
        entry.errors = 0;
        entry.maxInFlight = entry.inFlight;
      }
    },
    stats() {
      const out: Record<string, FunctionStats> = {};
      for (const [name, entry] of [...samples.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const runs = [...entry.execMs, ...entry.coldExecMs];
        if (runs.length === 0) continue;
        const exec = [...entry.execMs].sort((a, b) => a - b);
        const wait = [...entry.waitMs].sort((a, b) => a - b);
        const coldRuns = [...entry.coldExecMs].sort((a, b) => a - b);
        out[name] = {
          invocations: runs.length,
          errors: entry.errors,
          coldStarts: entry.coldExecMs.length,
          coldRunP50Ms: round(percentile(coldRuns, 50)),
          coldRunMaxMs: round(coldRuns[coldRuns.length - 1] ?? Number.NaN),
          execP50Ms: round(percentile(exec, 50)),
          execP99Ms: round(percentile(exec, 99)),
          execMeanMs: round(exec.reduce((a, b) => a + b, 0) / (exec.length || 1)),
          execTotalSeconds: round(runs.reduce((a, b) => a + b, 0) / 1000, 2),
          waitP50Ms: round(percentile(wait, 50)),
          waitP99Ms: round(percentile(wait, 99)),
          waitMaxMs: round(wait[wait.length - 1] ?? 0),
          maxInFlight: entry.maxInFlight,
        };
      }
      return out;
    },
  };
  return recorder;
}

// ---------------------------------------------------------------------------------------------- CPU

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type ProcSample = {
  at: number;
  mainThreadTicks: number;
  processTicks: number;
  children: Map<number, { comm: string; ticks: number }>;
  system: { busy: number; steal: number; total: number };
};

function statFields(text: string): { comm: string; fields: string[] } {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  // fields[0] is the state (field 3 of stat(5)); utime/stime are fields 14/15 → indexes 11/12.
  return { comm: text.slice(open + 1, close), fields: text.slice(close + 2).split(' ') };
}

function ticksOf(path: string): { comm: string; ticks: number; ppid: number } | undefined {
  try {
    const { comm, fields } = statFields(readFileSync(path, 'utf8'));
    return { comm, ticks: Number(fields[11]) + Number(fields[12]), ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Descendants of this process (DynamoDB Local's JVM and anything it started). */
function descendants(): Map<number, { comm: string; ticks: number }> {
  const parents = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = ticksOf(`/proc/${name}/stat`);
    if (info) parents.set(Number(name), info);
  }
  const out = new Map<number, { comm: string; ticks: number }>();
  for (const [pid, info] of parents) {
    let cursor = info.ppid;
    for (let depth = 0; depth < 8 && cursor > 1; depth++) {
      if (cursor === process.pid) {
        out.set(pid, { comm: info.comm, ticks: info.ticks });
        break;
      }
      cursor = parents.get(cursor)?.ppid ?? 0;
    }
  }
  return out;
}

function systemTicks(): { busy: number; steal: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = n;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: user + nice + system + irq + softirq, steal, total };
  } catch {
    return { busy: 0, steal: 0, total: 0 };
  }
}

export function sampleCpu(): ProcSample {
  return {
    at: performance.now(),
    mainThreadTicks: ticksOf(`/proc/self/task/${process.pid}/stat`)?.ticks ?? 0,
    processTicks: ticksOf('/proc/self/stat')?.ticks ?? 0,
    children: descendants(),
    system: systemTicks(),
  };
}

export type CpuUsage = {
  wallSeconds: number;
  /** Cores used on average (1.0 = one core busy the whole window). */
  benchProcessMainThreadCores: number;
  benchProcessOtherThreadsCores: number;
  childProcessesCores: Record<string, number>;
  /** Whole machine: busy share of all cores (includes the other engineers' work), and steal. */
  machineBusyPercent: number;
  machineStealPercent: number;
  loadAverage: number[];
};

export function cpuBetween(a: ProcSample, b: ProcSample): CpuUsage {
  const wallSeconds = (b.at - a.at) / 1000;
  const cores = (ticks: number) => round(ticks / TICKS_PER_SECOND / wallSeconds, 3);
  const children: Record<string, number> = {};
  for (const [pid, after] of b.children) {
    const before = a.children.get(pid)?.ticks ?? 0;
    const label = after.comm === 'java' ? 'dynamodbLocal(java)' : after.comm;
    children[label] = round((children[label] ?? 0) + cores(after.ticks - before), 3);
  }
  const main = b.mainThreadTicks - a.mainThreadTicks;
  const total = b.system.total - a.system.total || 1;
  return {
    wallSeconds: round(wallSeconds, 2),
    benchProcessMainThreadCores: cores(main),
    benchProcessOtherThreadsCores: cores(b.processTicks - a.processTicks - main),
    childProcessesCores: children,
    machineBusyPercent: round((100 * (b.system.busy - a.system.busy)) / total, 1),
    machineStealPercent: round((100 * (b.system.steal - a.system.steal)) / total, 1),
    loadAverage: loadavg().map((value) => round(value, 2)),
  };
}

// ----------------------------------------------------------------------------------- event loop

export type LoopDelay = { p50Ms: number; p99Ms: number; maxMs: number; meanMs: number };

export function loopDelayMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    reset: () => histogram.reset(),
    read: (): LoopDelay => ({
      p50Ms: round(histogram.percentile(50) / 1e6),
      p99Ms: round(histogram.percentile(99) / 1e6),
      maxMs: round(histogram.max / 1e6),
      meanMs: round(histogram.mean / 1e6),
    }),
    stop: () => histogram.disable(),
  };
}

function round(value: number, decimals = 1): number {
  return Number.isFinite(value) ? Number(value.toFixed(decimals)) : value;
}

// ------------------------------------------------------------------------------ Step Functions

export type ExecutionSlotStats = {
  /** Concurrent executions the local Step Functions allows (`maxConcurrentExecutions`, default 2 per core, ≥ 4). */
  slots: number;
  executions: number;
  /** StartExecution → a slot is free and the execution starts. */
  slotWaitP50Ms: number;
  slotWaitP99Ms: number;
  slotWaitMaxMs: number;
  /** Slot taken → execution finished (the whole pipeline of one document). */
  runP50Ms: number;
  runP99Ms: number;
  maxQueued: number;
};

type MachinesInternals = {
  slots: number;
  waitingForSlot: unknown[];
  running: Map<string, { done: Promise<void> }>;
  acquireSlot(): Promise<void>;
  run(entry: unknown, executionArn: string, ...rest: unknown[]): void;
};

let executionRecorder: { reset(): void; stats(): ExecutionSlotStats } | undefined;

/**
 * Wraps the local Step Functions' execution slots (`local/stepfunctions/machines.ts`): how long each
 * execution waited for one of the `maxConcurrentExecutions` slots, and how long it then held it.
 */
export async function instrumentStepFunctions(): Promise<{ reset(): void; stats(): ExecutionSlotStats }> {
  if (executionRecorder) return executionRecorder;
  const { StepFunctions } = await import('#local/stepfunctions/machines');
  const prototype = StepFunctions.prototype as unknown as MachinesInternals;
  const originalAcquire = prototype.acquireSlot;
  const originalRun = prototype.run;
  let waits: number[] = [];
  let runs: number[] = [];
  let maxQueued = 0;
  let slots = 0;
  // run() calls acquireSlot() synchronously: this names the execution the slot is for.
  let current: string | undefined;
  const takenAt = new Map<string, number>();
  prototype.acquireSlot = function (this: MachinesInternals) {
    slots = this.slots;
    const executionArn = current;
    const t0 = performance.now();
    const acquired = originalAcquire.call(this);
    maxQueued = Math.max(maxQueued, this.waitingForSlot.length);
    return acquired.then(() => {
      const now = performance.now();
      waits.push(now - t0);
      if (executionArn) takenAt.set(executionArn, now);
    });
  };
  prototype.run = function (
    this: MachinesInternals,
    entry: unknown,
    executionArn: string,
    ...rest: unknown[]
  ) {
    current = executionArn;
    try {
      originalRun.call(this, entry, executionArn, ...rest);
    } finally {
      current = undefined;
    }
    void this.running.get(executionArn)?.done.then(() => {
      const taken = takenAt.get(executionArn);
      takenAt.delete(executionArn);
      if (taken !== undefined) runs.push(performance.now() - taken);
    });
  };
  executionRecorder = {
    reset() {
      waits = [];
      runs = [];
      maxQueued = 0;
    },
    stats() {
      const w = [...waits].sort((a, b) => a - b);
      const r = [...runs].sort((a, b) => a - b);
      return {
        slots,
        executions: w.length,
        slotWaitP50Ms: round(percentile(w, 50)),
        slotWaitP99Ms: round(percentile(w, 99)),
        slotWaitMaxMs: round(w[w.length - 1] ?? Number.NaN),
        runP50Ms: round(percentile(r, 50)),
        runP99Ms: round(percentile(r, 99)),
        maxQueued,
      };
    },
  };
  return executionRecorder;
}
