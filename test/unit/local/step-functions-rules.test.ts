import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { stepFunctionsService } from '#local/standins/sfn';
import type { AslState } from '#local/stepfunctions/definition';
import { type AslDefinition, StepFunctions } from '#local/stepfunctions/machines';

const PREFIX = 'arn:aws:states:us-east-1:000000000000:stateMachine:';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:work';
const KIB_256 = 262_144;

/** One Task calling the fake function, optionally with Catch clauses to a `Caught` Pass state. */
const taskMachine = (catchErrors?: string[], timeoutSeconds?: number): AslDefinition => ({
  StartAt: 'Work',
  ...(timeoutSeconds ? { TimeoutSeconds: timeoutSeconds } : {}),
  States: {
    Work: {
      Type: 'Task',
      Resource: FUNCTION,
      ...(catchErrors ? { Catch: [{ ErrorEquals: catchErrors, Next: 'Caught' }] } : {}),
      End: true,
    } as never,
    ...(catchErrors ? { Caught: { Type: 'Pass', Result: 'caught', End: true } as AslState } : {}),
  },
});

/** A Parallel state whose two Pass branches each echo the input: the output is twice the input's size. */
const doublingMachine: AslDefinition = {
  StartAt: 'Double',
  States: {
    Double: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } as never } },
        { StartAt: 'B', States: { B: { Type: 'Pass', End: true } as never } },
      ],
      Next: 'After',
    } as never,
    After: { Type: 'Pass', End: true } as never,
  },
};

describe('Step Functions service rules in the local stand-in', () => {
  let server: Server;
  let dir: string;
  let client: SFNClient;
  let machines: StepFunctions;
  const invocations: unknown[] = [];

  // The Lambda behind every Task: `{ respondBytes }` answers a string that large, `{ sleepMs }` waits.
  const lambda = {
    invoke: async (_arn: string, payload: { respondBytes?: number; sleepMs?: number }) => {
      invocations.push(payload);
      if (payload.sleepMs) await new Promise((resolve) => setTimeout(resolve, payload.sleepMs));
      return payload.respondBytes ? 'x'.repeat(payload.respondBytes) : { ok: true };
    },
  };

  const start = (machine: string, input: unknown = {}, name?: string) =>
    client.send(
      new StartExecutionCommand({
        stateMachineArn: `${PREFIX}${machine}`,
        input: typeof input === 'string' ? input : JSON.stringify(input),
        ...(name !== undefined ? { name } : {}),
      }),
    );
  const finished = async (executionArn: string) => {
    for (;;) {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const expressFinished = async (executionArn: string) => {
    for (;;) {
      const record = machines.expressExecutions.get(executionArn);
      if (record?.status !== 'RUNNING') return record;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-sfn-rules-'));
    const standard = (name: string, definition: AslDefinition) => ({
      arn: `${PREFIX}${name}`,
      name,
      definition,
    });
    machines = new StepFunctions(
      [
        standard('plain', taskMachine()),
        standard('catch-all', taskMachine(['States.ALL'])),
        standard('catch-data-limit', taskMachine(['States.DataLimitExceeded'])),
        standard('doubling', doublingMachine),
        standard('timeout', taskMachine(undefined, 1)),
        { ...standard('express', taskMachine()), type: 'EXPRESS' },
      ],
      { lambda: lambda as never, eventBridge: {} as never, sqs: {} as never },
      {
        fastRetries: true,
        log: { info: () => undefined, error: () => undefined },
        expressMaxDurationMs: 300,
      },
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

  describe('execution names', () => {
    it('accepts 1 to 80 characters of the allowed set, non-ASCII letters and dots included', async () => {
      for (const name of ['a', 'n'.repeat(80), 'Factura.0001-ñandú_ü', 'emoji-😀']) {
        await expect(start('plain', {}, name)).resolves.toMatchObject({
          executionArn: `arn:aws:states:us-east-1:000000000000:execution:plain:${name}`,
        });
      }
    });

    it('refuses a length outside 1–80 with ValidationException', async () => {
      for (const name of ['', 'n'.repeat(81)]) {
        await expect(start('plain', {}, name)).rejects.toMatchObject({
          name: 'ValidationException',
          message: expect.stringMatching(/at 'name' failed to satisfy constraint: Member must have length/),
        });
      }
    });

    it.each([
      'with space',
      'tab\there',
      'a<b',
      'a{b}',
      'a[0]',
      'what?',
      'star*',
      'quote"',
      'hash#',
      'pct%',
      'back\\slash',
      'caret^',
      'pipe|',
      'tilde~',
      'tick`',
      'dollar$',
      'amp&',
      'comma,',
      'semi;',
      'colon:',
      'slash/',
      'ctl\u0001',
      'del\u007f',
      'c1\u0085',
      'lone\ud800',
      'nonchar\uffff',
    ])('refuses %j with InvalidName, for STANDARD and EXPRESS machines', async (name) => {
      for (const machine of ['plain', 'express']) {
        await expect(start(machine, {}, name)).rejects.toMatchObject({ name: 'InvalidName' });
      }
    });
  });

  describe('the 256 KiB data quota', () => {
    it('takes an execution input of exactly 256 KiB and refuses one byte more with InvalidExecutionInput', async () => {
      const input = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });

      await expect(start('plain', input(KIB_256))).resolves.toBeDefined();
      await expect(start('plain', input(KIB_256 + 1))).rejects.toMatchObject({
        name: 'InvalidExecutionInput',
      });
    });

    it('fails the execution with States.DataLimitExceeded when a task returns more, even with a States.ALL Catch', async () => {
      const plain = await start('plain', { respondBytes: KIB_256 });
      const catchAll = await start('catch-all', { respondBytes: KIB_256 });

      for (const { executionArn } of [plain, catchAll]) {
        expect(await finished(executionArn!)).toMatchObject({
          status: 'FAILED',
          error: 'States.DataLimitExceeded',
          cause:
            "The state/task 'Work' returned a result with a size exceeding the maximum number of bytes service limit.",
        });
      }
    });

    it('lets a Catch that names States.DataLimitExceeded handle it', async () => {
      const { executionArn } = await start('catch-data-limit', { respondBytes: KIB_256 });

      expect(await finished(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"caught"' });
    });

    it('fails when a state the interpreter runs itself outputs more (Parallel of two echoes)', async () => {
      const { executionArn } = await start('doubling', { pad: 'x'.repeat(140_000) });

      expect(await finished(executionArn!)).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: expect.stringMatching(/'Double'/),
      });
    });
  });

  it("ends TIMED_OUT (States.Timeout) when the definition's TimeoutSeconds elapses", async () => {
    const { executionArn } = await start('timeout', { sleepMs: 2500 });

    expect(await finished(executionArn!)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  describe('EXPRESS machines', () => {
    it('start a new execution on every call, with express ARNs, even under the same name', async () => {
      const before = invocations.length;

      const first = await start('express', { n: 1 }, 'same-name');
      const second = await start('express', { n: 1 }, 'same-name');

      const expressArn = /^arn:aws:states:us-east-1:000000000000:express:express:same-name:[0-9a-f-]{36}$/;
      expect(first.executionArn).toMatch(expressArn);
      expect(second.executionArn).toMatch(expressArn);
      expect(second.executionArn).not.toBe(first.executionArn);
      for (const { executionArn } of [first, second]) {
        expect(await expressFinished(executionArn!)).toMatchObject({
          status: 'SUCCEEDED',
          name: 'same-name',
        });
      }
      expect(invocations.length - before).toBe(2);
    });

    it('refuse DescribeExecution, StopExecution (InvalidArn) and ListExecutions (StateMachineTypeNotSupported)', async () => {
      const { executionArn } = await start('express', {});

      await expect(client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject({
        name: 'InvalidArn',
        message: "Invalid Arn: 'Resource type not valid in this context: express'",
      });
      await expect(client.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject({
        name: 'InvalidArn',
      });
      await expect(
        client.send(new ListExecutionsCommand({ stateMachineArn: `${PREFIX}express` })),
      ).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
      await expect(
        client.send(new ListExecutionsCommand({ stateMachineArn: `${PREFIX}plain` })),
      ).resolves.toMatchObject({ executions: expect.any(Array) });
    });

    it('end TIMED_OUT at the maximum duration (shortened here), recorded for diagnostics only', async () => {
      const { executionArn } = await start('express', { sleepMs: 2000 });

      expect(await expressFinished(executionArn!)).toMatchObject({
        status: 'TIMED_OUT',
        error: 'States.Timeout',
      });
    });

    it('report their type through DescribeStateMachine and ListStateMachines', async () => {
      const described = await client.send(
        new DescribeStateMachineCommand({ stateMachineArn: `${PREFIX}express` }),
      );
      const listed = await client.send(new ListStateMachinesCommand({}));

      expect(described.type).toBe('EXPRESS');
      expect(
        Object.fromEntries(listed.stateMachines!.map((machine) => [machine.name, machine.type])),
      ).toMatchObject({
        plain: 'STANDARD',
        express: 'EXPRESS',
      });
    });

    it.each([
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:states:::states:startExecution.sync',
      'arn:aws:states:::states:startExecution.sync:2',
      'arn:aws:states:us-east-1:000000000000:activity:approve',
    ])('cannot be created with %s (InvalidDefinition), STANDARD ones can', (resource) => {
      const definition: AslDefinition = {
        StartAt: 'Wait',
        States: { Wait: { Type: 'Task', Resource: resource, End: true } as never },
      };
      const create = (type: 'STANDARD' | 'EXPRESS') =>
        new StepFunctions(
          [{ arn: `${PREFIX}m`, name: 'm', definition, type }],
          { lambda: lambda as never, eventBridge: {} as never, sqs: {} as never },
          { fastRetries: true, log: { info: () => undefined, error: () => undefined } },
          join(dir, `create-${type}`),
        );

      expect(() => create('EXPRESS')).toThrow(expect.objectContaining({ name: 'InvalidDefinition' }));
      expect(() => create('STANDARD')).not.toThrow();
    });
  });
});
