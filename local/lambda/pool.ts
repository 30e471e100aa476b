import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from '../template/functions.ts';
import { arn } from '../template/names.ts';
import { FunctionError } from './errors.ts';
import { assertRequestWithinLimit, MAX_RESPONSE_BYTES } from './payload-limits.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));

type Pending = {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
};

/** One execution environment: a worker thread running one invocation at a time, like a Lambda sandbox. */
class Sandbox {
  readonly worker: Worker;
  private pending: Pending | undefined;
  private nextId = 0;
  dead = false;
  /** Taken by an invocation from acquire() to release(): one invocation at a time per sandbox. */
  reserved = false;

  constructor(spec: FunctionSpec, env: Record<string, string>, onOutput: (line: string) => void) {
    this.worker = new Worker(WORKER_ENTRY, {
      env,
      workerData: {
        modulePath: spec.modulePath,
        exportName: spec.exportName,
        functionName: spec.name,
        functionVersion: '$LATEST',
        memoryMb: spec.memoryMb,
        invokedFunctionArn: arn.lambda(spec.name),
        logGroupName: `/aws/lambda/${spec.name}`,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      },
      // Only plain .mjs runs here; do not inherit loaders (tsx, vitest) from the parent process.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(spec.memoryMb, 256) },
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) onOutput(line);
      });
    }
    this.worker.on('message', (message: { ok: boolean; result?: unknown; error?: SerializedError }) =>
      this.settle(message),
    );
    this.worker.on('error', (error) =>
      this.crash(new FunctionError('Runtime.UnhandledError', error.message)),
    );
    this.worker.on('exit', (code) =>
      this.crash(new FunctionError('Runtime.ExitError', `exited with ${code}`)),
    );
  }

  invoke(event: unknown, requestId: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A timed-out sandbox is discarded, as Lambda does: its module state may be inconsistent.
        this.crash(
          new FunctionError(
            'Sandbox.Timedout',
            `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          ),
        );
        void this.worker.terminate();
      }, timeoutMs);
      this.pending = { resolve, reject, timer };
      this.worker.postMessage({ id: this.nextId++, event, requestId, deadline: Date.now() + timeoutMs });
    });
  }

  private settle(message: { ok: boolean; result?: unknown; error?: SerializedError }) {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else {
      const error = message.error ?? { name: 'Error', message: 'unknown error' };
      pending.reject(new FunctionError(error.name, error.message, error.stack?.split('\n') ?? []));
    }
  }

  private crash(error: FunctionError) {
    this.dead = true;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}

type SerializedError = { name: string; message: string; stack?: string };

export type PoolOptions = {
  /** Extra environment applied over the template's (endpoints, credentials, overrides). */
  environment: Record<string, string>;
  /** Where a function's console output goes. */
  onOutput(functionName: string, line: string): void;
  /** Cap on concurrent sandboxes per function (Lambda scales out; a laptop should not). */
  maxConcurrency?: number;
};

/**
 * The sandboxes of one function. Why worker threads: each has its own `process.env` and module graph, so a
 * function sees exactly its template environment at load and call time and never shares module state with
 * another function — the isolation Lambda gives — while starting in tens of milliseconds.
 */
export class FunctionPool {
  private readonly sandboxes: Sandbox[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly env: Record<string, string>;
  private closed = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: PoolOptions,
  ) {
    this.env = {
      PATH: process.env.PATH ?? '',
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: spec.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'local',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...spec.environment,
      ...options.environment,
    };
  }

  private get limit(): number {
    return Math.max(1, Math.min(this.spec.reservedConcurrency ?? Infinity, this.options.maxConcurrency ?? 8));
  }

  /**
   * Invokes the function synchronously (RequestResponse). Rejects with a `FunctionError` when the function
   * fails (a response over 6 MB included: `Function.ResponseSizeTooLarge`), or with a `LambdaServiceError` when
   * Lambda refuses the call (a request over 6 MB: `RequestEntityTooLargeException`) — for every caller alike:
   * the API, Step Functions tasks, event source pollers, EventBridge targets.
   */
  async invoke(event: unknown, requestId: string = randomUUID()): Promise<unknown> {
    if (this.closed)
      throw new FunctionError('ServiceException', `${this.spec.name}: the local cloud is stopping`);
    assertRequestWithinLimit(event);
    const sandbox = await this.acquire();
    try {
      return await sandbox.invoke(event, requestId, this.spec.timeoutSeconds * 1000);
    } finally {
      this.release(sandbox);
    }
  }

  private async acquire(): Promise<Sandbox> {
    for (;;) {
      this.prune();
      // Reserved synchronously, before any await, so two callers never share a sandbox.
      const idle = this.sandboxes.find((sandbox) => !sandbox.reserved);
      if (idle) {
        idle.reserved = true;
        return idle;
      }
      if (this.sandboxes.length < this.limit) {
        const sandbox = new Sandbox(this.spec, this.env, (line) =>
          this.options.onOutput(this.spec.name, line),
        );
        sandbox.reserved = true;
        this.sandboxes.push(sandbox);
        return sandbox;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(sandbox: Sandbox) {
    sandbox.reserved = false;
    if (sandbox.dead) this.prune();
    this.waiting.shift()?.();
  }

  private prune() {
    for (let index = this.sandboxes.length - 1; index >= 0; index--) {
      if (this.sandboxes[index]!.dead) this.sandboxes.splice(index, 1);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.worker.terminate()));
    this.sandboxes.length = 0;
  }
}
