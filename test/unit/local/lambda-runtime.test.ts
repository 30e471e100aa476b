import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRegistry } from '#local/lambda/registry';
import type { FunctionSpec } from '#local/template/functions';

const HANDLER = `
const atLoad = process.env.GREETING;
let calls = 0;
class HkaTransientError extends Error { name = 'HkaTransientError'; }
export async function handler(event, context) {
  calls++;
  if (event.throw) throw new HkaTransientError('try again');
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return {
    atLoad,
    now: process.env.GREETING,
    calls,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    remaining: context.getRemainingTimeInMillis(),
    when: new Date(0),
    region: process.env.AWS_REGION,
  };
}
`;

describe('local Lambda runtime (worker-thread sandboxes)', () => {
  let dir: string;
  let registry: LambdaRegistry;
  const spec = (name: string, greeting: string, timeoutSeconds = 3): FunctionSpec => ({
    name,
    logicalId: name,
    stackName: 's',
    modulePath: join(dir, 'index.mjs'),
    exportName: 'handler',
    timeoutSeconds,
    memoryMb: 128,
    environment: { GREETING: greeting },
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factu-lambda-'));
    writeFileSync(join(dir, 'index.mjs'), HANDLER);
    registry = new LambdaRegistry([spec('hola', 'hola'), spec('hello', 'hello'), spec('slow', 'zzz', 1)], {
      environment: { AWS_REGION: 'us-east-1' },
      onOutput: () => undefined,
    });
  });

  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each function its own environment and module state, and a Lambda-like context', async () => {
    const hola = (await registry.invoke('hola', {}, 'req-1')) as Record<string, unknown>;
    const hello = (await registry.invoke(
      'arn:aws:lambda:us-east-1:000000000000:function:hello',
      {},
    )) as Record<string, unknown>;
    expect(hola).toMatchObject({
      atLoad: 'hola',
      now: 'hola',
      calls: 1,
      requestId: 'req-1',
      functionName: 'hola',
    });
    expect(hello).toMatchObject({ atLoad: 'hello', now: 'hello', calls: 1, region: 'us-east-1' });
    expect(hola.remaining).toBeGreaterThan(2000);
    // The result crosses a JSON boundary like Lambda's: a Date arrives as its ISO string.
    expect(hola.when).toBe('1970-01-01T00:00:00.000Z');
    // Warm sandbox: module state survives between invocations of the same function.
    expect(await registry.invoke('hola', {})).toMatchObject({ calls: 2 });
  });

  it('keeps the error name of a thrown error (what Step Functions Retry/Catch match on)', async () => {
    await expect(registry.invoke('hola', { throw: true })).rejects.toMatchObject({
      name: 'HkaTransientError',
      message: 'try again',
    });
  });

  it('times out like Lambda and replaces the sandbox', async () => {
    await expect(registry.invoke('slow', { sleepMs: 5000 })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
    });
    expect(await registry.invoke('slow', {})).toMatchObject({ calls: 1 });
  });

  it('runs concurrent invocations in separate sandboxes', async () => {
    const results = (await Promise.all([
      registry.invoke('hello', { sleepMs: 200 }),
      registry.invoke('hello', { sleepMs: 200 }),
    ])) as Array<{ calls: number }>;
    // The warm sandbox serves one (its 2nd call), a fresh one is started for the other (its 1st).
    expect(results.map((result) => result.calls).sort()).toEqual([1, 2]);
  });

  it('answers an unknown function with ResourceNotFoundException', async () => {
    await expect(registry.invoke('nope', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
