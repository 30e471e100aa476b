import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { EventBridge, type EventRule, eventBridgeService } from '#local/standins/eventbridge/bus';
import { matchesPattern } from '#local/standins/eventbridge/pattern';
import { renderTargetInput } from '#local/standins/eventbridge/transform';
import { startJsonProtocolServer } from '#local/standins/json-protocol';

const event = {
  source: 'factu.documents',
  'detail-type': 'document.authorized',
  detail: { tenantId: 'demo-cafe', total: 281.14, status: 'AUTHORIZED', tags: ['a', 'b'], channel: null },
};

describe('event pattern matching', () => {
  it.each([
    [{ source: ['factu.documents'] }, true],
    [{ source: ['other'] }, false],
    [{ 'detail-type': [{ prefix: 'document.' }] }, true],
    [{ 'detail-type': [{ suffix: '.failed' }] }, false],
    [{ detail: { status: [{ 'anything-but': ['REJECTED', 'FAILED'] }] } }, true],
    [{ detail: { status: [{ 'anything-but': 'AUTHORIZED' }] } }, false],
    [{ detail: { status: [{ 'anything-but': { prefix: 'AUTH' } }] } }, false],
    [{ detail: { tenantId: [{ exists: true }] } }, true],
    [{ detail: { missing: [{ exists: false }] } }, true],
    [{ detail: { tenantId: [{ exists: false }] } }, false],
    [{ detail: { channel: [null] } }, true],
    [{ detail: { total: [{ numeric: ['>', 100, '<=', 281.14] }] } }, true],
    [{ detail: { total: [{ numeric: ['<', 100] }] } }, false],
    [{ detail: { tags: ['b'] } }, true],
    [{ detail: { tenantId: [{ 'equals-ignore-case': 'DEMO-CAFE' }] } }, true],
    [{ detail: { tenantId: [{ wildcard: 'demo-*' }] } }, true],
    [{ $or: [{ source: ['x'] }, { detail: { status: ['AUTHORIZED'] } }] }, true],
    [{ source: ['factu.documents'], detail: { status: ['REJECTED'] } }, false],
  ])('%j → %s', (pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('target input', () => {
  it('renders InputPath and InputTransformer like EventBridge', () => {
    expect(renderTargetInput({ InputPath: '$.detail.tenantId' }, event, 'r')).toBe('"demo-cafe"');
    expect(
      renderTargetInput(
        {
          InputTransformer: {
            InputPathsMap: { tenant: '$.detail.tenantId', total: '$.detail.total' },
            InputTemplate: '{"tenant":"<tenant>","total":<total>,"rule":"<aws.events.rule-name>"}',
          },
        },
        event,
        'my-rule',
      ),
    ).toBe('{"tenant":"demo-cafe","total":281.14,"rule":"my-rule"}');
  });
});

describe('EventBridge stand-in over the SDK', () => {
  let server: Server;
  let client: EventBridgeClient;
  const delivered: Array<{ target: string; body: string }> = [];
  const rules: EventRule[] = [
    {
      name: 'authorized',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/bus/authorized',
      busName: 'bus',
      enabled: true,
      eventPattern: { source: ['factu.documents'], 'detail-type': ['document.authorized'] },
      targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:email' }],
    },
    {
      name: 'failing',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/bus/failing',
      busName: 'bus',
      enabled: true,
      eventPattern: { source: ['factu.failing'] },
      targets: [
        {
          Id: 'broken',
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:broken',
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:events-dlq' },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ],
    },
    {
      name: 'disabled',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/bus/disabled',
      busName: 'bus',
      enabled: false,
      eventPattern: { source: ['factu.documents'] },
      targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:never' }],
    },
  ];
  const bus = new EventBridge(
    rules,
    new Set(['bus']),
    async (target, body) => {
      if (target.Arn.endsWith(':broken')) throw new Error('function crashed');
      delivered.push({ target: target.Arn, body });
    },
    () => undefined,
  );

  beforeAll(async () => {
    server = await startJsonProtocolServer([eventBridgeService(bus)], { port: 0 });
    client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });

  afterAll(() => closeServer(server));

  it('sends an event it cannot deliver to the target dead-letter queue', async () => {
    delivered.length = 0;
    await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'bus', Source: 'factu.failing', DetailType: 'x', Detail: '{"n":1}' }],
      }),
    );
    await bus.drain();
    expect(delivered.map((delivery) => delivery.target)).toEqual([
      'arn:aws:sqs:us-east-1:000000000000:events-dlq',
    ]);
    expect(JSON.parse(delivered[0]!.body).detail).toEqual({ n: 1 });
    delivered.length = 0;
  });

  it('delivers matching events to the targets of enabled rules and reports bad entries', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'bus',
            Source: 'factu.documents',
            DetailType: 'document.authorized',
            Detail: '{"id":"1"}',
          },
          { EventBusName: 'missing-bus', Source: 's', DetailType: 'd', Detail: '{}' },
          { EventBusName: 'bus', Source: 's', DetailType: 'd', Detail: 'not json' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[1]?.ErrorCode).toBe('ResourceNotFoundException');
    expect(result.Entries?.[2]?.ErrorCode).toBe('MalformedDetail');
    await bus.drain();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.target).toBe('arn:aws:sqs:us-east-1:000000000000:email');
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({
      version: '0',
      source: 'factu.documents',
      'detail-type': 'document.authorized',
      account: '000000000000',
      region: 'us-east-1',
      detail: { id: '1' },
    });
  });
});
