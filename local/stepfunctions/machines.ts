import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { type ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { ACCOUNT_ID, REGION } from '../aws.ts';
import { AwsServiceError } from '../standins/json-protocol.ts';
import { arn } from '../template/names.ts';
import {
  DataLimitExceeded,
  inputTooLarge,
  MAX_STATE_DATA_BYTES,
  payloadBytes,
  resultTooLarge,
} from './data-limit.ts';
import { type AslDefinition, allStates, assertExpressCompatible } from './definition.ts';
import { assertValidExecutionName } from './execution-name.ts';
import { type ExecutionRecord, type ExecutionStatus, ExecutionStore } from './executions.ts';
import { ExpressExecutionLog } from './express-executions.ts';
import { runTask, type TaskDependencies } from './tasks.ts';

export type { AslDefinition } from './definition.ts';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export type StateMachineSpec = {
  arn: string;
  name: string;
  definition: AslDefinition;
  /** `StateMachineType` of the template (STANDARD when absent, as in CloudFormation). */
  type?: StateMachineType;
};

export type RunnerOptions = {
  /** Tests: waits and retry backoffs shortened to milliseconds so Retry/Catch paths run quickly. */
  fastRetries: boolean;
  log: { info(message: string): void; error(message: string, error?: unknown): void };
  /**
   * Executions that run at once; later ones wait (status RUNNING) for a slot. On AWS, executions and their
   * Lambda tasks scale out on their own compute; here they share the machine's cores with the API's
   * functions, and a burst of executions (200 documents at once) starved the API: requests queued behind
   * pipeline work until API Gateway's 29 s limit. Default: 2 per core, at least 4.
   */
  maxConcurrentExecutions?: number;
  /** Tests only: the EXPRESS maximum duration (AWS: 5 minutes, not configurable). */
  expressMaxDurationMs?: number;
};

/** An EXPRESS execution ends TIMED_OUT after five minutes, whatever its definition says. */
const EXPRESS_MAX_DURATION_MS = 5 * 60 * 1000;

type TaskHandlers = NonNullable<
  NonNullable<Parameters<StateMachine['run']>[1]>['overrides']
>['taskResourceLocalHandlers'] & {};

/** Where an execution's state lives: the persistent store (STANDARD) or the diagnostics log (EXPRESS). */
type Tracker = {
  isRunning(): boolean;
  finish(outcome: { status: ExecutionStatus; output?: string; error?: string; cause?: string }): void;
};

type Entry = { spec: StateMachineSpec & { type: StateMachineType }; machine: StateMachine };

const FAST_WAIT_MS = 20;
const FAST_RETRY_MS = 20;

/**
 * The synthesized state machines, run by aws-local-stepfunctions with every Task mapped to a local
 * resource (bundled Lambda handlers, the EventBridge stand-in, local SQS), under the service's rules: name
 * rules, the 256 KiB data quota, the definition's `TimeoutSeconds`, and EXPRESS semantics (no name
 * de-duplication, express ARNs, five-minute cap, no execution history through the API).
 */
export class StepFunctions {
  private readonly machines = new Map<string, Entry>();
  private readonly running = new Map<string, { abort(): void; done: Promise<void>; tracker: Tracker }>();
  readonly executions: ExecutionStore;
  readonly expressExecutions = new ExpressExecutionLog();
  private active = 0;
  private readonly waitingForSlot: Array<() => void> = [];

  constructor(
    specs: StateMachineSpec[],
    private readonly deps: TaskDependencies,
    private readonly options: RunnerOptions,
    dataDir: string,
  ) {
    this.executions = new ExecutionStore(dataDir);
    for (const spec of specs) {
      const type = spec.type ?? 'STANDARD';
      if (type === 'EXPRESS') assertExpressCompatible(spec.name, spec.definition);
      this.machines.set(spec.arn, {
        spec: { ...spec, type },
        // ARNs are local; JSONPath checks stay on so a broken definition fails at start, not mid-execution.
        machine: new StateMachine(spec.definition as never, { validationOptions: { checkArn: false } }),
      });
    }
  }

  list(): Array<StateMachineSpec & { type: StateMachineType }> {
    return [...this.machines.values()].map(({ spec }) => spec);
  }

  describe(stateMachineArn: string): StateMachineSpec & { type: StateMachineType } {
    return this.entry(stateMachineArn).spec;
  }

  /**
   * StartExecution. STANDARD: a name is unique per machine (same name + same input while running is
   * idempotent, anything else ExecutionAlreadyExists). EXPRESS: every call starts a new execution.
   */
  start(
    stateMachineArn: string,
    name: string | undefined,
    input: string,
  ): { executionArn: string; startDate: number } {
    const entry = this.entry(stateMachineArn);
    const executionName = name ?? randomUUID();
    assertValidExecutionName(executionName);
    if (Buffer.byteLength(input) > MAX_STATE_DATA_BYTES) {
      throw new AwsServiceError(
        'InvalidExecutionInput',
        `Invalid execution input: the input is ${Buffer.byteLength(input)} bytes, more than the maximum of ${MAX_STATE_DATA_BYTES} bytes`,
      );
    }
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const startDate = Date.now() / 1000;
    if (entry.spec.type === 'EXPRESS') {
      const executionArn = `arn:aws:states:${REGION}:${ACCOUNT_ID}:express:${entry.spec.name}:${executionName}:${randomUUID()}`;
      this.expressExecutions.add({
        executionArn,
        stateMachineArn,
        name: executionName,
        status: 'RUNNING',
        startDate,
      });
      this.run(entry, executionArn, executionName, parsedInput, startDate, this.expressTracker(executionArn));
      return { executionArn, startDate };
    }
    const executionArn = arn.execution(entry.spec.name, executionName);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.executions.put({
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input,
      startDate,
    });
    this.run(entry, executionArn, executionName, parsedInput, startDate, this.standardTracker(executionArn));
    return { executionArn, startDate };
  }

  /** DescribeExecution's record; EXPRESS executions are not served (AWS: InvalidArn for an express ARN). */
  describeExecution(executionArn: string): ExecutionRecord {
    assertNotExpressArn(executionArn);
    const record = this.executions.get(executionArn);
    if (!record)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /** ListExecutions; refused for EXPRESS machines, as AWS refuses it. */
  listExecutions(stateMachineArn: string): ExecutionRecord[] {
    const entry = this.entry(stateMachineArn);
    if (entry.spec.type === 'EXPRESS') {
      throw new AwsServiceError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by EXPRESS state machines.',
      );
    }
    return this.executions.list(stateMachineArn);
  }

  stop(executionArn: string, error?: string, cause?: string): number {
    assertNotExpressArn(executionArn);
    const record = this.executions.get(executionArn);
    if (!record)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const stopDate = Date.now() / 1000;
    if (record.status === 'RUNNING') {
      this.executions.update(executionArn, { status: 'ABORTED', stopDate, error, cause });
      this.running.get(executionArn)?.abort();
    }
    return stopDate;
  }

  private entry(stateMachineArn: string): Entry {
    const entry = this.machines.get(stateMachineArn);
    if (!entry)
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    return entry;
  }

  private standardTracker(executionArn: string): Tracker {
    return {
      isRunning: () => this.executions.get(executionArn)?.status === 'RUNNING',
      finish: (outcome) => this.executions.update(executionArn, { ...outcome, stopDate: Date.now() / 1000 }),
    };
  }

  private expressTracker(executionArn: string): Tracker {
    return {
      isRunning: () => this.expressExecutions.get(executionArn)?.status === 'RUNNING',
      finish: ({ status, error, cause }) =>
        this.expressExecutions.update(executionArn, { status, error, cause, stopDate: Date.now() / 1000 }),
    };
  }

  private run(
    entry: Entry,
    executionArn: string,
    name: string,
    input: unknown,
    startDate: number,
    tracker: Tracker,
  ) {
    const { type } = entry.spec;
    // A state's data over the quota found after the fact (Pass, Parallel and Map outputs are only seen in
    // the event log) ends the run with this failure.
    let dataLimitFailure: { error: string; cause: string } | undefined;
    let expressTimedOut = false;
    const taskResourceLocalHandlers: TaskHandlers = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [stateName, state] of allStates(entry.spec.definition)) {
      if (state.Type === 'Task' && state.Resource) {
        const resource = state.Resource;
        const catchable = (state.Catch ?? []).some((catcher) =>
          catcher.ErrorEquals.includes('States.DataLimitExceeded'),
        );
        taskResourceLocalHandlers[stateName] = async (taskInput) => {
          if (payloadBytes(taskInput) > MAX_STATE_DATA_BYTES) {
            throw new DataLimitExceeded(inputTooLarge(stateName), catchable);
          }
          const result = await runTask(resource, taskInput, this.deps);
          if (payloadBytes(result) > MAX_STATE_DATA_BYTES) {
            throw new DataLimitExceeded(resultTooLarge(stateName), catchable);
          }
          return result as never;
        };
      }
      if (this.options.fastRetries && state.Type === 'Wait') waitTimeOverrides[stateName] = FAST_WAIT_MS;
      if (this.options.fastRetries && state.Retry) retryIntervalOverrides[stateName] = FAST_RETRY_MS;
    }
    let aborted = false;
    let abortRun: (() => void) | undefined;
    let expressTimer: NodeJS.Timeout | undefined;
    const done = this.acquireSlot()
      .then(() => {
        if (aborted || !tracker.isRunning()) return;
        const execution = entry.machine.run(input as never, {
          overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
          noThrowOnAbort: true,
          context: {
            Execution: {
              Id: executionArn,
              Name: name,
              RoleArn: `local:${entry.spec.name}-role`,
              StartTime: new Date(startDate * 1000).toISOString(),
            },
            StateMachine: { Id: entry.spec.arn, Name: entry.spec.name },
          } as never,
        });
        abortRun = execution.abort;
        if (type === 'EXPRESS') {
          expressTimer = setTimeout(() => {
            expressTimedOut = true;
            execution.abort();
          }, this.options.expressMaxDurationMs ?? EXPRESS_MAX_DURATION_MS);
        }
        // Settled once the interpreter has closed its event log, which it does however the run ends.
        const watched = watchStateData(execution.eventLogs, (failure) => {
          dataLimitFailure ??= failure;
          execution.abort();
        });
        this.options.log.info(`execution ${name} started on ${entry.spec.name} (${type})`);
        return execution.result
          .then(async (output) => {
            // The event log can trail the result: a state over the quota is the run's outcome whenever seen.
            await watched;
            if (!tracker.isRunning()) return;
            if (dataLimitFailure)
              return this.settle(tracker, name, { status: 'FAILED', ...dataLimitFailure });
            if (expressTimedOut) {
              return this.settle(tracker, name, {
                status: 'TIMED_OUT',
                error: 'States.Timeout',
                cause: 'The execution exceeded the EXPRESS maximum duration of five minutes',
              });
            }
            if (payloadBytes(output ?? null) > MAX_STATE_DATA_BYTES) {
              return this.settle(tracker, name, {
                status: 'FAILED',
                error: 'States.DataLimitExceeded',
                cause: 'The execution output has a size exceeding the maximum number of bytes service limit.',
              });
            }
            this.settle(tracker, name, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) });
          })
          .catch(async (error: unknown) => {
            await watched;
            if (!tracker.isRunning()) return;
            if (dataLimitFailure)
              return this.settle(tracker, name, { status: 'FAILED', ...dataLimitFailure });
            // The definition's TimeoutSeconds elapsed: the interpreter rejects with ExecutionTimeoutError.
            if (error instanceof Error && error.name === 'ExecutionTimeoutError') {
              return this.settle(tracker, name, { status: 'TIMED_OUT', error: 'States.Timeout' });
            }
            const cause =
              error instanceof Error && error.cause instanceof Error
                ? error.cause
                : (error as ExecutionError | undefined);
            // A state's own timeout (States.Timeout) that no Catch handles fails the execution: TIMED_OUT is
            // only for the execution's TimeoutSeconds.
            this.settle(tracker, name, {
              status: 'FAILED',
              error: cause?.name ?? 'Error',
              cause: cause?.message ?? String(error),
            });
          });
      })
      .catch((error: unknown) => {
        tracker.finish({
          status: 'FAILED',
          error: 'States.Runtime',
          cause: error instanceof Error ? error.message : String(error),
        });
        this.options.log.error(`execution ${name} could not run`, error);
      })
      .finally(() => {
        clearTimeout(expressTimer);
        this.releaseSlot();
        this.running.delete(executionArn);
      });
    const abort = () => {
      aborted = true;
      abortRun?.();
    };
    this.running.set(executionArn, { abort, done, tracker });
  }

  private settle(
    tracker: Tracker,
    name: string,
    outcome: { status: ExecutionStatus; output?: string; error?: string; cause?: string },
  ) {
    tracker.finish(outcome);
    const detail = outcome.error ? `: ${outcome.error} ${outcome.cause ?? ''}` : '';
    this.options.log.info(`execution ${name} ${outcome.status}${detail}`.slice(0, 500));
  }

  private get slots(): number {
    return this.options.maxConcurrentExecutions ?? Math.max(4, 2 * availableParallelism());
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.slots) {
      this.active += 1;
      return Promise.resolve();
    }
    // The slot is handed over by releaseSlot (active stays counted).
    return new Promise((resolve) => this.waitingForSlot.push(resolve));
  }

  private releaseSlot() {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** Aborts running executions (they are marked ABORTED at the next start) and saves the history. */
  async close(): Promise<void> {
    const running = [...this.running.values()];
    for (const execution of running) {
      // Marked first: an aborted run resolves like a successful one (noThrowOnAbort).
      execution.tracker.finish({
        status: 'ABORTED',
        error: 'Local.Stopped',
        cause: 'the local cloud was stopped while this execution was running',
      });
      execution.abort();
    }
    await Promise.allSettled(running.map((execution) => execution.done));
    this.executions.flush();
  }
}

/**
 * Follows an execution's events and reports the first state whose input or output is over the 256 KiB
 * quota. Task inputs and results are also checked synchronously by their handlers; this covers the states
 * the interpreter runs itself (Pass, Parallel, Map, Choice…).
 */
async function watchStateData(
  events: AsyncGenerator<{ type: string; state?: { name: string; input: unknown; output?: unknown } }>,
  onExceeded: (failure: { error: string; cause: string }) => void,
): Promise<void> {
  for await (const event of events) {
    const { state } = event;
    if (!state) continue;
    const tooLarge =
      event.type === 'StateEntered' && payloadBytes(state.input) > MAX_STATE_DATA_BYTES
        ? inputTooLarge(state.name)
        : event.type === 'StateExited' && payloadBytes(state.output ?? null) > MAX_STATE_DATA_BYTES
          ? resultTooLarge(state.name)
          : undefined;
    if (tooLarge) return onExceeded({ error: 'States.DataLimitExceeded', cause: tooLarge });
  }
}

/** AWS answers DescribeExecution / StopExecution for an express execution ARN with InvalidArn. */
function assertNotExpressArn(executionArn: string): void {
  if (executionArn.split(':')[5] === 'express') {
    throw new AwsServiceError(
      'InvalidArn',
      "Invalid Arn: 'Resource type not valid in this context: express'",
    );
  }
}
