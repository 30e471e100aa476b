import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { stepFunctionsService } from '#local/standins/sfn';
import { StepFunctions } from '#local/stepfunctions/machines';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:pipeline';

describe('Step Functions stand-in over the SDK', () => {
  let server: Server;
  let dir: string;
  let client: SFNClient;
  let machines: StepFunctions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-sfn-'));
    machines = new StepFunctions(
      [
        {
          arn: ARN,
          name: 'pipeline',
          definition: {
            StartAt: 'Wait',
            States: {
              Wait: { Type: 'Wait', Seconds: 3600, Next: 'Route' } as never,
              Route: {
                Type: 'Choice',
                Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Fail' }],
                Default: 'Done',
              } as never,
              Done: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.result', End: true } as never,
              Fail: { Type: 'Fail', Error: 'HkaRejectedError', Cause: 'rejected' } as never,
            },
          },
        },
      ],
      { lambda: {} as never, eventBridge: {} as never, sqs: {} as never },
      { fastRetries: true, log: { info: () => undefined, error: () => undefined } },
      dir,
    );
    server = await startJsonProtocolServer([stepFunctionsService(machines)], { port: 0 });
    client = new SFNClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });

  afterAll(async () => {
    await closeServer(server);
    await machines.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const describeUntilDone = async (executionArn: string) => {
    for (;;) {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('runs an execution (waits shortened by fastRetries) and describes its output', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 't-1-1', input: '{"fail":false}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:pipeline:t-1-1');
    const done = await describeUntilDone(started.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ fail: false, result: { ok: true } });
    expect(done.startDate).toBeInstanceOf(Date);
  });

  it('applies the name rules: same name + input while running is idempotent, otherwise ExecutionAlreadyExists', async () => {
    const input = '{"fail":true}';
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 't-2-1', input }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 't-2-1', input }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: ARN, name: 't-2-1', input: '{"fail":false}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const done = await describeUntilDone(first.executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'HkaRejectedError', cause: 'rejected' });
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 't-2-1', input })),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('answers the modelled errors for unknown machines and executions', async () => {
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}-x`, input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      client.send(
        new DescribeExecutionCommand({ executionArn: `${ARN.replace('stateMachine', 'execution')}:nope` }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});
