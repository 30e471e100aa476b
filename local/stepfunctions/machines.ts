import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { StateMachine } from 'aws-local-stepfunctions';
import { AwsServiceError } from '../standins/json-protocol.ts';
import { arn } from '../template/names.ts';
import { ExecutionStore } from './executions.ts';
import { runTask, type TaskDependencies } from './tasks.ts';

export type StateMachineSpec = { arn: string; name: string; definition: AslDefinition };

type AslState = {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
};
export type AslDefinition = { StartAt: string; States: Record<string, AslState> };

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
};

/** Every state, including those nested in Parallel branches and Map processors (overrides are by name). */
function allStates(definition: AslDefinition): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    found.push([name, state]);
    for (const branch of state.Branches ?? []) found.push(...allStates(branch));
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) found.push(...allStates(processor));
  }
  return found;
}

type TaskHandlers = NonNullable<
  NonNullable<Parameters<StateMachine['run']>[1]>['overrides']
>['taskResourceLocalHandlers'] & {};

const FAST_WAIT_MS = 20;
const FAST_RETRY_MS = 20;

/**
 * The synthesized state machines, run by aws-local-stepfunctions with every Task mapped to a local
 * resource (bundled Lambda handlers, the EventBridge stand-in, local SQS).
 */
export class StepFunctions {
  private readonly machines = new Map<string, { spec: StateMachineSpec; machine: StateMachine }>();
  private readonly running = new Map<string, { abort(): void; done: Promise<void> }>();
  readonly executions: ExecutionStore;
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
      this.machines.set(spec.arn, {
        spec,
        // ARNs are local; JSONPath checks stay on so a broken definition fails at start, not mid-execution.
        machine: new StateMachine(spec.definition as never, { validationOptions: { checkArn: false } }),
      });
    }
  }

  list(): StateMachineSpec[] {
    return [...this.machines.values()].map(({ spec }) => spec);
  }

  describe(stateMachineArn: string): StateMachineSpec {
    const entry = this.machines.get(stateMachineArn);
    if (!entry)
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    return entry.spec;
  }

  /** StartExecution with the service's name rules: same name + same input while running is idempotent. */
  start(
    stateMachineArn: string,
    name: string | undefined,
    input: string,
  ): { executionArn: string; startDate: number } {
    const entry = this.machines.get(stateMachineArn);
    if (!entry)
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    const executionName = name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(executionName)) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${executionName}'`);
    }
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const executionArn = arn.execution(entry.spec.name, executionName);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = Date.now() / 1000;
    this.executions.put({
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input,
      startDate,
    });
    this.run(entry, executionArn, executionName, parsedInput, startDate);
    return { executionArn, startDate };
  }

  stop(executionArn: string, error?: string, cause?: string): number {
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

  private run(
    entry: { spec: StateMachineSpec; machine: StateMachine },
    executionArn: string,
    name: string,
    input: unknown,
    startDate: number,
  ) {
    const taskResourceLocalHandlers: TaskHandlers = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [stateName, state] of allStates(entry.spec.definition)) {
      if (state.Type === 'Task' && state.Resource) {
        const resource = state.Resource;
        taskResourceLocalHandlers[stateName] = async (taskInput) =>
          (await runTask(resource, taskInput, this.deps)) as never;
      }
      if (this.options.fastRetries && state.Type === 'Wait') waitTimeOverrides[stateName] = FAST_WAIT_MS;
      if (this.options.fastRetries && state.Retry) retryIntervalOverrides[stateName] = FAST_RETRY_MS;
    }
    let aborted = false;
    let abortRun: (() => void) | undefined;
    const done = this.acquireSlot()
      .then(() => {
        if (aborted || this.executions.get(executionArn)?.status !== 'RUNNING') return;
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
        this.options.log.info(`execution ${name} started on ${entry.spec.name}`);
        return execution.result
          .then((output) => {
            if (this.executions.get(executionArn)?.status !== 'RUNNING') return;
            this.executions.update(executionArn, {
              status: 'SUCCEEDED',
              output: JSON.stringify(output ?? null),
              stopDate: Date.now() / 1000,
            });
            this.options.log.info(`execution ${name} SUCCEEDED`);
          })
          .catch((error: unknown) => {
            const cause =
              error instanceof Error && error.cause instanceof Error ? error.cause : (error as Error);
            this.executions.update(executionArn, {
              status: cause?.name === 'States.Timeout' ? 'TIMED_OUT' : 'FAILED',
              error: cause?.name ?? 'Error',
              cause: cause?.message ?? String(error),
              stopDate: Date.now() / 1000,
            });
            this.options.log.info(
              `execution ${name} FAILED: ${cause?.name} ${cause?.message ?? ''}`.slice(0, 500),
            );
          });
      })
      .catch((error: unknown) => {
        this.executions.update(executionArn, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: error instanceof Error ? error.message : String(error),
          stopDate: Date.now() / 1000,
        });
        this.options.log.error(`execution ${name} could not run`, error);
      })
      .finally(() => {
        this.releaseSlot();
        this.running.delete(executionArn);
      });
    const abort = () => {
      aborted = true;
      abortRun?.();
    };
    this.running.set(executionArn, { abort, done });
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
    const running = [...this.running.entries()];
    for (const [executionArn, execution] of running) {
      // Marked first: an aborted run resolves like a successful one (noThrowOnAbort).
      this.executions.update(executionArn, {
        status: 'ABORTED',
        stopDate: Date.now() / 1000,
        error: 'Local.Stopped',
        cause: 'the local cloud was stopped while this execution was running',
      });
      execution.abort();
    }
    await Promise.allSettled(running.map(([, execution]) => execution.done));
    this.executions.flush();
  }
}
