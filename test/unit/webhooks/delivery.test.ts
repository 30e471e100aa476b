/**
 * The delivery worker: one signed POST per attempt number (duplicate messages make one request), 2xx →
 * succeeded, otherwise pending until the next due time, failed after the 3-day window (metric), and the
 * endpoint disabled (webhook.disabled published) once it has failed for 3 days. The receiver is a local HTTP
 * server; loopback is allowed as the local cloud allows it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '#shared/config/config';
import { keys } from '#shared/data/keys';
import { attemptDelivery } from '#shared/webhooks/delivery';
import { verifySignature } from '#shared/webhooks/signature';
import type { DeliveryRecord, EndpointRecord } from '#shared/webhooks/store';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
process.env.WEBHOOKS_ALLOW_LOOPBACK = 'true';
resetConfigForTests();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const events = mockClient(EventBridgeClient);
const table = new FakeTable();
const SECRET = 'whsec_unit';

let server: Server;
let url = '';
const requests: { headers: Record<string, unknown>; body: string }[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const endpoint = (overrides: Partial<EndpointRecord> = {}): EndpointRecord => ({
  id: 'WH_A',
  url,
  events: ['document.authorized'],
  status: 'enabled',
  createdAt: '2026-12-01T00:00:00.000Z',
  secretCiphertext: Buffer.from('ciphertext').toString('base64'),
  ...overrides,
});
const delivery = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  id: 'D1',
  webhookId: 'WH_A',
  eventId: 'evt-1',
  type: 'document.authorized',
  body: '{"id":"evt-1","type":"document.authorized","createdAt":"2026-12-06T15:00:00.000Z","data":{}}',
  status: 'pending',
  attempts: 0,
  createdAt: new Date().toISOString(),
  ...overrides,
});
const stored = () => table.get(keys.webhookDelivery(TENANT, 'WH_A', 'D1'));
const message = (attempts = 0) => ({ tenantId: TENANT, webhookId: 'WH_A', deliveryId: 'D1', attempts });

beforeEach(() => {
  requests.length = 0;
  answer = 200;
  ddb.reset();
  kms.reset();
  events.reset();
  kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(SECRET) });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  table.clear();
  table.install(ddb);
  table.put({ ...keys.webhook(TENANT, 'WH_A'), ...endpoint() });
});

describe('webhook delivery worker', () => {
  it('POSTs the stored body signed with the endpoint secret, with the event id and user agent; 2xx → succeeded', async () => {
    // Prepare
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery() });

    // Act
    await attemptDelivery(message());

    // Assess
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.body).toBe(delivery().body);
    expect(request?.headers['factu-event-id']).toBe('evt-1');
    expect(request?.headers['user-agent']).toBe('factu-webhooks/1');
    const check = verifySignature(SECRET, request!.body, String(request?.headers['factu-signature']), {
      now: new Date(),
    });
    expect(check.valid).toBe(true);
    expect(stored()).toMatchObject({ status: 'succeeded', attempts: 1, lastResponseCode: 200 });
    expect(stored()?.gsi4pk).toBeUndefined();
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input.EncryptionContext).toEqual({
      tenantId: TENANT,
      webhookId: 'WH_A',
    });
  });

  it('two messages for the same attempt make one request', async () => {
    // Prepare
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery() });

    // Act
    await Promise.all([attemptDelivery(message()), attemptDelivery(message())]);
    await attemptDelivery(message());

    // Assess
    expect(requests).toHaveLength(1);
    expect(stored()).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a 500 leaves it pending with the next attempt 30 s later, due in the index', async () => {
    // Prepare
    answer = 500;
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery() });

    // Act
    const before = Date.now();
    await attemptDelivery(message());

    // Assess
    const after = stored();
    expect(after).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: 500 });
    const wait = Date.parse(String(after?.nextAttemptAt)) - before;
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThan(35_000);
    expect(String(after?.gsi4sk)).toBe(`${after?.nextAttemptAt}#${TENANT}#WH_A#D1`);
    expect(table.get(keys.webhook(TENANT, 'WH_A'))?.failingSince).toEqual(expect.any(String));
  });

  it('after 3 days of failures: failed, the endpoint disabled and webhook.disabled published', async () => {
    // Prepare
    answer = 503;
    const day = 24 * 3600_000;
    const failingSince = new Date(Date.now() - 3 * day - 60_000).toISOString();
    const createdAt = new Date(Date.now() - 3 * day + 60_000).toISOString();
    table.put({ ...keys.webhook(TENANT, 'WH_A'), ...endpoint({ failingSince }) });
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery({ attempts: 15, createdAt }) });

    // Act
    await attemptDelivery(message(15));

    // Assess
    expect(stored()).toMatchObject({ status: 'failed', attempts: 16, lastResponseCode: 503 });
    expect(table.get(keys.webhook(TENANT, 'WH_A'))).toMatchObject({
      status: 'disabled',
      failedDeliveries: 1,
    });
    const put = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(put?.DetailType).toBe('webhook.disabled');
    expect(JSON.parse(String(put?.Detail))).toMatchObject({ tenantId: TENANT, webhookId: 'WH_A', url });
  });

  it('a disabled or deleted endpoint: the pending delivery is given up without a request', async () => {
    // Prepare
    table.put({ ...keys.webhook(TENANT, 'WH_A'), ...endpoint({ status: 'disabled' }) });
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery() });

    // Act
    await attemptDelivery(message());

    // Assess
    expect(requests).toHaveLength(0);
    expect(stored()).toMatchObject({ status: 'failed', lastError: 'endpoint disabled' });
  });

  it('a URL that now resolves to a forbidden address is not called', async () => {
    // Prepare
    table.put({ ...keys.webhook(TENANT, 'WH_A'), ...endpoint({ url: 'https://169.254.169.254/latest' }) });
    table.put({ ...keys.webhookDelivery(TENANT, 'WH_A', 'D1'), ...delivery() });

    // Act
    await attemptDelivery(message());

    // Assess
    expect(stored()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'URL_FORBIDDEN_ADDRESS' });
  });
});
