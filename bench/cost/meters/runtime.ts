/**
 * Meters on the local cloud's runtime, wrapped from outside (the same module instances the local cloud
 * loads in this process), as `../../pipeline/probes.ts` does:
 *
 * - Lambda (`local/lambda/pool.ts`): each run on a sandbox — its duration (the worker round trip, the
 *   module load included on a just-created sandbox), whether it failed, the SQS messages an event source
 *   mapping handed it — and every line the function writes (the registry's output callback).
 * - Step Functions (`aws-local-stepfunctions`' `StateMachine.run`, which the local runner calls once an
 *   execution has its slot): each execution's duration from its first state to its end, its state
 *   transitions and its failure events.
 * - EventBridge (`local/standins/eventbridge/bus.ts`): entries accepted on a bus (from PutEvents calls and
 *   from the state machine's task alike), deliveries to rule targets, schedule firings.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { FunctionPool } from '#local/lambda/pool';
import { EventBridge, type EventRule, type RuleTarget } from '#local/standins/eventbridge/bus';
import { chunks64k } from '../billing';
import { functionNameOf } from '../template-model';
import { increment, type UsageRecorder } from '../usage';

let current: UsageRecorder | undefined;
let installed = false;

/** Routes the runtime's events to `recorder` (installs the wrappers on first use). */
export function meterRuntime(recorder: UsageRecorder | undefined): void {
  current = recorder;
  if (installed) return;
  installed = true;
  wrapLambda();
  wrapStepFunctions();
  wrapEventBridge();
}

// --------------------------------------------------------------------------------------------- Lambda

type PoolInternals = {
  spec: { name: string; logicalId: string };
  options: { onOutput(functionName: string, line: string): void };
  acquire(): Promise<SandboxInternals>;
};
type SandboxInternals = {
  invoke(event: unknown, requestId: string, timeoutMs: number): Promise<unknown>;
  [FUNCTION]?: string;
};

const FUNCTION = Symbol('cost-bench-function');
const OUTPUT_WRAPPED = Symbol('cost-bench-output');

function sqsMessagesOf(event: unknown): number {
  const records = (event as { Records?: Array<{ eventSource?: string }> } | undefined)?.Records;
  return Array.isArray(records) ? records.filter((record) => record.eventSource === 'aws:sqs').length : 0;
}

function wrapLambda() {
  const pool = FunctionPool.prototype as unknown as PoolInternals;
  const originalAcquire = pool.acquire;
  const namesByPhysical = new Map<string, string>();
  const seen = new WeakSet<object>();
  let sandboxPatched = false;

  const patchSandbox = (sandbox: SandboxInternals) => {
    if (sandboxPatched) return;
    sandboxPatched = true;
    const prototype = Object.getPrototypeOf(sandbox) as SandboxInternals;
    const originalInvoke = prototype.invoke;
    prototype.invoke = async function (this: SandboxInternals, event, requestId, timeoutMs) {
      const recorder = current;
      const name = this[FUNCTION];
      if (!recorder || !name) return originalInvoke.call(this, event, requestId, timeoutMs);
      const cold = !seen.has(this);
      seen.add(this);
      recorder.inFlight += 1;
      const started = performance.now();
      let failed = false;
      try {
        return await originalInvoke.call(this, event, requestId, timeoutMs);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        const ms = performance.now() - started;
        recorder.inFlight -= 1;
        const usage = recorder.fn(name);
        usage.invocations += 1;
        if (failed) usage.errors += 1;
        if (cold) {
          usage.coldInvocations += 1;
          usage.coldRunMs.push(ms);
        } else usage.warmRunMs.push(ms);
        usage.sqsMessages += sqsMessagesOf(event);
      }
    };
  };

  pool.acquire = async function (this: PoolInternals) {
    const name = functionNameOf(this.spec.logicalId);
    namesByPhysical.set(this.spec.name, name);
    const options = this.options as PoolInternals['options'] & { [OUTPUT_WRAPPED]?: true };
    if (!options[OUTPUT_WRAPPED]) {
      options[OUTPUT_WRAPPED] = true;
      const originalOutput = options.onOutput.bind(options);
      options.onOutput = (functionName, line) => {
        if (current) {
          const usage = current.fn(namesByPhysical.get(functionName) ?? functionName);
          usage.logBytes += Buffer.byteLength(line) + 1;
          usage.logLines += 1;
        }
        originalOutput(functionName, line);
      };
    }
    const sandbox = await originalAcquire.call(this);
    patchSandbox(sandbox);
    sandbox[FUNCTION] = name;
    return sandbox;
  };
}

// ------------------------------------------------------------------------------------- Step Functions

type LocalEvent = { type: string; Error?: string; Cause?: string };
type RunOptions = { context?: { StateMachine?: { Name?: string } } };
type Execution = { eventLogs: AsyncGenerator<LocalEvent>; result: Promise<unknown> };

function wrapStepFunctions() {
  const prototype = StateMachine.prototype as unknown as {
    run(input: unknown, options?: RunOptions): Execution;
  };
  const originalRun = prototype.run;
  prototype.run = function (this: unknown, input: unknown, options?: RunOptions) {
    const execution = originalRun.call(this, input, options);
    const recorder = current;
    if (!recorder) return execution;
    recorder.inFlight += 1;
    const started = performance.now();
    const counts = { transitions: 0, failureEvents: 0, failureDetailBytes: 0 };
    let eventsDone!: () => void;
    const eventsEnded = new Promise<void>((resolve) => {
      eventsDone = resolve;
    });
    const events = execution.eventLogs;
    execution.eventLogs = (async function* () {
      try {
        for await (const event of events) {
          if (event.type === 'StateEntered' || event.type === 'StateRetried') counts.transitions += 1;
          if (event.type === 'StateFailed' || event.type === 'ExecutionFailed') {
            counts.failureEvents += 1;
            counts.failureDetailBytes += Buffer.byteLength(`${event.Error ?? ''}${event.Cause ?? ''}`);
          }
          yield event;
        }
      } finally {
        eventsDone();
      }
    })();
    const finish = () => {
      const durationMs = performance.now() - started;
      // The event log may trail the result a little; it always ends (the local runner reads it to the end).
      void Promise.race([eventsEnded, new Promise((resolve) => setTimeout(resolve, 2000))]).then(() => {
        recorder.inFlight -= 1;
        recorder.execution({
          machine: options?.context?.StateMachine?.Name ?? 'unknown',
          durationMs,
          ...counts,
        });
      });
    };
    execution.result.then(finish, finish);
    return execution;
  };
}

// ----------------------------------------------------------------------------------------- EventBridge

type Entry = { Source?: string; DetailType?: string; Detail?: unknown; Resources?: string[] };
type BusInternals = {
  putEvents(entries: Entry[]): { Entries: Array<Record<string, string>> };
  fireSchedule(rule: EventRule): void;
  deliverWithRetry(rule: EventRule, target: RuleTarget, event: unknown): Promise<void>;
};

/** An entry's billed size: source, detail type, detail, resources and 14 bytes of time. */
export function eventEntryBytes(entry: Entry): number {
  const detail = typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail ?? '');
  return (
    14 +
    Buffer.byteLength(entry.Source ?? '') +
    Buffer.byteLength(entry.DetailType ?? '') +
    Buffer.byteLength(detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0)
  );
}

function wrapEventBridge() {
  const prototype = EventBridge.prototype as unknown as BusInternals;
  const originalPut = prototype.putEvents;
  const originalFire = prototype.fireSchedule;
  const originalDeliver = prototype.deliverWithRetry;
  prototype.putEvents = function (this: BusInternals, entries: Entry[]) {
    const result = originalPut.call(this, entries);
    if (current) {
      const bus = current.eventBridge;
      result.Entries.forEach((outcome, index) => {
        if ('ErrorCode' in outcome) return;
        bus.entries += 1;
        bus.chunks += chunks64k(eventEntryBytes(entries[index] ?? {}));
      });
    }
    return result;
  };
  prototype.fireSchedule = function (this: BusInternals, rule: EventRule) {
    if (current) increment(current.eventBridge.schedules, rule.name);
    return originalFire.call(this, rule);
  };
  prototype.deliverWithRetry = function (this: BusInternals, rule, target, event) {
    if (current) {
      const service = target.Arn.split(':')[2] ?? 'unknown';
      increment(current.eventBridge.deliveries, `${rule.name}→${service}`);
    }
    return originalDeliver.call(this, rule, target, event);
  };
}
