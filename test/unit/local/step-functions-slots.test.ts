import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StepFunctions } from '#local/stepfunctions/machines';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:pipeline';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:step';

describe('Step Functions stand-in: execution slots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'factu-sfn-slots-'));
  let active = 0;
  let peak = 0;
  const lambda = {
    invoke: async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 40));
      active -= 1;
      return { ok: true };
    },
  };
  const machines = new StepFunctions(
    [
      {
        arn: ARN,
        name: 'pipeline',
        definition: {
          StartAt: 'Step',
          States: { Step: { Type: 'Task', Resource: FUNCTION, End: true } as never },
        },
      },
    ],
    { lambda: lambda as never, eventBridge: {} as never, sqs: {} as never },
    {
      fastRetries: true,
      log: { info: () => undefined, error: () => undefined },
      maxConcurrentExecutions: 2,
    },
    dir,
  );

  afterAll(async () => {
    await machines.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs at most maxConcurrentExecutions at once; the others wait RUNNING and all complete', async () => {
    const started = Array.from({ length: 6 }, (_, index) =>
      machines.start(ARN, `execution-${index}`, JSON.stringify({ index })),
    );
    for (const { executionArn } of started) {
      expect(machines.executions.get(executionArn)?.status).toBe('RUNNING');
    }
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      started.some(({ executionArn }) => machines.executions.get(executionArn)?.status === 'RUNNING')
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const { executionArn } of started) {
      expect(machines.executions.get(executionArn)?.status).toBe('SUCCEEDED');
    }
    expect(peak).toBe(2);
  });

  it('aborts queued executions on close without running them', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'factu-sfn-slots-'));
    const other = new StepFunctions(
      [
        {
          arn: ARN,
          name: 'pipeline',
          definition: {
            StartAt: 'Step',
            States: { Step: { Type: 'Task', Resource: FUNCTION, End: true } as never },
          },
        },
      ],
      { lambda: lambda as never, eventBridge: {} as never, sqs: {} as never },
      {
        fastRetries: true,
        log: { info: () => undefined, error: () => undefined },
        maxConcurrentExecutions: 1,
      },
      otherDir,
    );
    const runs = Array.from({ length: 3 }, (_, index) => other.start(ARN, `queued-${index}`, '{}'));
    await other.close();
    const statuses = runs.map(({ executionArn }) => other.executions.get(executionArn)?.status);
    rmSync(otherDir, { recursive: true, force: true });
    expect(statuses).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
  });
});
