/**
 * What the meters count during one measurement window, per Lambda function (every AWS call a function
 * makes goes through its own metering listener) and for the services that run outside functions (Step
 * Functions executions, the EventBridge bus). `UsageRecorder` is the one place meters write to; a window is
 * `reset()` … `snapshot()`.
 */
import { addUnits, emptyUnits, type Units } from './dynamodb-capacity';

export type FunctionUsage = {
  invocations: number;
  /** Runs on a just-created sandbox (worker start + bundle load + the call). */
  coldInvocations: number;
  errors: number;
  warmRunMs: number[];
  coldRunMs: number[];
  /** Messages handed to the function by an SQS event source mapping. */
  sqsMessages: number;
  /** What the function wrote to its log (its output lines, newline included). */
  logBytes: number;
  logLines: number;
  dynamodb: {
    /** Units as AWS bills them (DynamoDB Local's report, or the computed units of a transaction). */
    units: Units;
    /** DynamoDB Local's own report, for comparison. */
    reported: Units;
    calls: Record<string, number>;
    refusedWrites: number;
  };
  s3: { putClass: number; getClass: number; bytesPut: number; calls: Record<string, number> };
  /** KMS operation → calls. */
  kms: Record<string, number>;
  /** KMS key id → Sign calls (priced by the key's spec). */
  kmsSignsByKey: Record<string, number>;
  secretsManagerCalls: number;
  /** Billed SQS requests the function made (64 KB chunks). */
  sqsRequests: number;
  stepFunctionsStarts: number;
  ses: { emails: number; recipients: number; attachmentBase64Bytes: number };
  /** HKA operation → calls (not an AWS cost; shown for the reader). */
  hka: Record<string, number>;
  /** HKA operation → milliseconds the function waited for its answers (part of its billed duration). */
  hkaMs: Record<string, number>;
  /** Calls no meter prices (`service.Operation` → calls): kept so nothing counted is silently dropped. */
  otherCalls: Record<string, number>;
};

export type ExecutionUsage = {
  machine: string;
  durationMs: number;
  /** States entered plus retries: what a STANDARD machine bills. */
  transitions: number;
  /** Failure events (task failed, retried, caught): what an ERROR-level log records. */
  failureEvents: number;
  /** Bytes of those events' error names and causes. */
  failureDetailBytes: number;
};

export type Usage = {
  functions: Record<string, FunctionUsage>;
  executions: ExecutionUsage[];
  eventBridge: {
    /** Entries accepted on a bus (PutEvents from functions and from the state machine's task). */
    entries: number;
    /** 64 KB chunks of those entries. */
    chunks: number;
    /** `<rule>→<service>` → deliveries to that rule's targets. */
    deliveries: Record<string, number>;
    /** Schedule rule → times fired. */
    schedules: Record<string, number>;
  };
  windowMs: number;
};

export function emptyFunctionUsage(): FunctionUsage {
  return {
    invocations: 0,
    coldInvocations: 0,
    errors: 0,
    warmRunMs: [],
    coldRunMs: [],
    sqsMessages: 0,
    logBytes: 0,
    logLines: 0,
    dynamodb: { units: emptyUnits(), reported: emptyUnits(), calls: {}, refusedWrites: 0 },
    s3: { putClass: 0, getClass: 0, bytesPut: 0, calls: {} },
    kms: {},
    kmsSignsByKey: {},
    secretsManagerCalls: 0,
    sqsRequests: 0,
    stepFunctionsStarts: 0,
    ses: { emails: 0, recipients: 0, attachmentBase64Bytes: 0 },
    hka: {},
    hkaMs: {},
    otherCalls: {},
  };
}

export const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Shared by every meter: the counts of the current window, and when anything last happened. */
export class UsageRecorder {
  private usage: Usage = UsageRecorder.empty();
  private startedAt = performance.now();
  /** `performance.now()` of the last metered event (for waiting until the system is quiet). */
  lastActivity = performance.now();
  /** Lambda runs and state machine executions in progress. */
  inFlight = 0;

  private static empty(): Usage {
    return {
      functions: {},
      executions: [],
      eventBridge: { entries: 0, chunks: 0, deliveries: {}, schedules: {} },
      windowMs: 0,
    };
  }

  fn(name: string): FunctionUsage {
    this.lastActivity = performance.now();
    let usage = this.usage.functions[name];
    if (!usage) {
      usage = emptyFunctionUsage();
      this.usage.functions[name] = usage;
    }
    return usage;
  }

  dynamodb(name: string, billed: Units, reported: Units, operation: string) {
    const usage = this.fn(name).dynamodb;
    addUnits(usage.units, billed);
    addUnits(usage.reported, reported);
    increment(usage.calls, operation);
  }

  execution(record: ExecutionUsage) {
    this.lastActivity = performance.now();
    this.usage.executions.push(record);
  }

  get eventBridge(): Usage['eventBridge'] {
    this.lastActivity = performance.now();
    return this.usage.eventBridge;
  }

  touch() {
    this.lastActivity = performance.now();
  }

  reset() {
    this.usage = UsageRecorder.empty();
    this.startedAt = performance.now();
  }

  /** A deep copy of the window so far (later events do not change it). */
  snapshot(): Usage {
    const copy = structuredClone(this.usage);
    copy.windowMs = performance.now() - this.startedAt;
    return copy;
  }
}
