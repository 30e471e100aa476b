import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '#local/lambda/payload-limits';
import { LambdaRegistry } from '#local/lambda/registry';
import { runTask } from '#local/stepfunctions/tasks';

// Answers a JSON string of exactly `respondBytes` bytes (the quotes included) and counts its calls.
const HANDLER = `
let calls = 0;
export async function handler(event) {
  calls++;
  if (event.respondBytes) return 'x'.repeat(event.respondBytes - 2);
  return { calls };
}
`;

/** A JSON string event of exactly `bytes` bytes once serialised. */
const eventOfBytes = (bytes: number) => 'x'.repeat(bytes - 2);

describe('Lambda 6 MB synchronous payload limits in the local runtime', () => {
  let dir: string;
  let registry: LambdaRegistry;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factu-lambda-limits-'));
    writeFileSync(join(dir, 'index.mjs'), HANDLER);
    registry = new LambdaRegistry(
      [
        {
          name: 'echo',
          logicalId: 'echo',
          stackName: 's',
          modulePath: join(dir, 'index.mjs'),
          exportName: 'handler',
          timeoutSeconds: 10,
          memoryMb: 256,
          environment: {},
        },
      ],
      { environment: {}, onOutput: () => undefined },
    );
  });

  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a request of exactly 6291456 bytes and refuses one byte more before the function runs', async () => {
    const before = (await registry.invoke('echo', {})) as { calls: number };

    await expect(registry.invoke('echo', eventOfBytes(MAX_REQUEST_BYTES))).resolves.toMatchObject({
      calls: before.calls + 1,
    });
    await expect(registry.invoke('echo', eventOfBytes(MAX_REQUEST_BYTES + 1))).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    expect(await registry.invoke('echo', {})).toEqual({ calls: before.calls + 2 });
  });

  it('turns a response over 6291556 bytes into the Function.ResponseSizeTooLarge function error', async () => {
    const atLimit = (await registry.invoke('echo', { respondBytes: MAX_RESPONSE_BYTES })) as string;

    expect(atLimit.length).toBe(MAX_RESPONSE_BYTES - 2);
    await expect(registry.invoke('echo', { respondBytes: MAX_RESPONSE_BYTES + 1 })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
      message: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('applies the same limits to Step Functions Lambda tasks', async () => {
    const deps = { lambda: registry, eventBridge: {} as never, sqs: {} as never };
    const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

    await expect(
      runTask(
        'arn:aws:states:::lambda:invoke',
        { FunctionName: functionArn, Payload: eventOfBytes(MAX_REQUEST_BYTES + 1) },
        deps,
      ),
    ).rejects.toMatchObject({ name: 'Lambda.RequestEntityTooLargeException' });
    await expect(runTask(functionArn, { respondBytes: MAX_RESPONSE_BYTES + 1 }, deps)).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
    });
  });
});
