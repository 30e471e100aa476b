/**
 * The webhook fan-out: one delivery per subscribed, enabled endpoint, idempotent on (endpoint, event id) —
 * EventBridge and SQS deliver at least once —, its body built once with the document's summary and never
 * the tenant id. Events of other lanes (document.waiting, document.contingency, certificate.expiring) are
 * fanned out like any other.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '#shared/config/config';
import { documentItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { busEventOf, fanOutEvent } from '#shared/webhooks/fan-out';
import type { EndpointRecord } from '#shared/webhooks/store';
import { FakeTable } from '../app/fake-table.ts';
import { documentRecord } from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
process.env.WEBHOOK_DELIVERY_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111111111111/webhook-delivery';
resetConfigForTests();
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const table = new FakeTable();

const endpoint = (id: string, overrides: Partial<EndpointRecord> = {}): EndpointRecord => ({
  id,
  url: 'https://erp.example.com/hooks',
  events: [
    'document.authorized',
    'document.rejected',
    'document.failed',
    'document.waiting',
    'document.contingency',
    'certificate.expiring',
  ],
  status: 'enabled',
  createdAt: '2026-12-06T10:00:00.000Z',
  secretCiphertext: 'c2VjcmV0',
  ...overrides,
});

const documentId = '01KAQ0000000000000000000AB';
const busEvent = (
  type: string,
  detail: Record<string, unknown>,
  id = 'a1b2c3d4-0000-4000-8000-000000000001',
) =>
  JSON.stringify({
    id,
    'detail-type': type,
    source: 'factu.documents',
    time: '2026-12-06T15:31:40Z',
    detail: { tenantId: TENANT, ...detail },
  });
const deliveriesOf = (webhookId: string) => table.partition(keys.webhookDeliveryPrefix(TENANT, webhookId).pk);
const queued = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) =>
      (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '{}')),
    );

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  table.clear();
  table.install(ddb);
  for (const item of [
    endpoint('WH_A'),
    endpoint('WH_B', { events: ['document.rejected'] }),
    endpoint('WH_C', { status: 'disabled' }),
  ]) {
    table.put({ ...keys.webhook(TENANT, item.id), ...item });
  }
  table.put(
    documentItem(
      documentRecord({ documentId, status: 'AUTHORIZED', cufe: 'FE0120000', leaseUntil: undefined }),
    ),
  );
});

describe('webhook fan-out', () => {
  it('writes one delivery per subscribed, enabled endpoint and queues its first attempt', async () => {
    // Act
    const result = await fanOutEvent(
      busEventOf(busEvent('document.authorized', { documentId, hasRecipients: true })),
    );

    // Assess
    expect(result).toEqual({ deliveries: 1 });
    expect(deliveriesOf('WH_B')).toEqual([]);
    expect(deliveriesOf('WH_C')).toEqual([]);
    const [delivery] = deliveriesOf('WH_A');
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0, type: 'document.authorized' });
    expect(delivery?.gsi4pk).toMatch(/^T#_platform#WEBHOOKS_DUE#\d$/);
    const body = JSON.parse(String(delivery?.body));
    expect(body).toEqual({
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      type: 'document.authorized',
      createdAt: '2026-12-06T15:31:40.000Z',
      data: expect.objectContaining({ id: documentId, status: 'AUTHORIZED', cufe: 'FE0120000' }),
    });
    expect(JSON.stringify(body)).not.toContain(TENANT);
    expect(queued()).toEqual([
      { tenantId: TENANT, webhookId: 'WH_A', deliveryId: delivery?.id, attempts: 0 },
    ]);
  });

  it('the same event fanned out twice is one delivery (same id, same body)', async () => {
    // Prepare
    const event = busEventOf(busEvent('document.authorized', { documentId }));
    await fanOutEvent(event);
    const [first] = deliveriesOf('WH_A');
    table.put({ ...first!, attempts: 1, status: 'succeeded' });

    // Act
    const again = await fanOutEvent(event);

    // Assess
    expect(again).toEqual({ deliveries: 0 });
    expect(deliveriesOf('WH_A')).toHaveLength(1);
    expect(deliveriesOf('WH_A')[0]).toMatchObject({ id: first?.id, status: 'succeeded', body: first?.body });
  });

  it.each([
    [
      'document.waiting',
      { documentId, nextAttemptAt: '2026-12-06T16:00:00.000Z', lastError: 'HKA timed out' },
    ],
    ['document.contingency', { documentId, contingencyStartedAt: '2026-12-06T15:00:00.000Z' }],
    [
      'certificate.expiring',
      { certificateId: 'signing', notAfter: '2027-01-05T00:00:00.000Z', daysLeft: 30 },
    ],
  ])('delivers %s with its own facts', async (type, detail) => {
    // Act
    await fanOutEvent(busEventOf(busEvent(type, detail)));

    // Assess
    const [delivery] = deliveriesOf('WH_A');
    const body = JSON.parse(String(delivery?.body));
    expect(body.type).toBe(type);
    const { documentId: about, ...facts } = detail as Record<string, unknown>;
    expect(body.data).toMatchObject(facts);
    if (about)
      expect(body.data).toMatchObject({ id: about, status: 'AUTHORIZED', number: expect.any(String) });
    expect(body.data.tenantId).toBeUndefined();
  });

  it('refuses a message that is not a webhook event of the catalogue', () => {
    expect(() => busEventOf(busEvent('webhook.disabled', { webhookId: 'x' }))).toThrow();
    expect(() => busEventOf('{"id":"x"}')).toThrow();
  });
});
