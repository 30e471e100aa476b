import type { FunctionSpec } from '../template/functions.ts';
import { functionNameFromArn } from '../template/names.ts';
import { FunctionError } from './errors.ts';
import { FunctionPool, type PoolOptions } from './pool.ts';

/** The local Lambda service: functions by name, invoked in their own sandboxes. */
export class LambdaRegistry {
  private readonly pools = new Map<string, FunctionPool>();

  constructor(specs: FunctionSpec[], options: PoolOptions) {
    for (const spec of specs) this.pools.set(spec.name, new FunctionPool(spec, options));
  }

  has(nameOrArn: string): boolean {
    return this.pools.has(functionNameFromArn(nameOrArn));
  }

  spec(nameOrArn: string): FunctionSpec | undefined {
    return this.pools.get(functionNameFromArn(nameOrArn))?.spec;
  }

  /** Synchronous invoke; a handler error rejects with its `name` kept (Step Functions matches on it). */
  invoke(nameOrArn: string, event: unknown, requestId?: string): Promise<unknown> {
    const pool = this.pools.get(functionNameFromArn(nameOrArn));
    if (!pool) {
      return Promise.reject(
        new FunctionError('ResourceNotFoundException', `Function not found: ${nameOrArn}`),
      );
    }
    return pool.invoke(event, requestId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}
