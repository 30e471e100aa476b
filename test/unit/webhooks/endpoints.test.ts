/**
 * Registering endpoints: the 10-endpoint limit holds under concurrent creations (a counter item moved in the
 * endpoint's transaction, released on delete), tenants whose endpoints predate the counter are counted, and
 * the idempotency record completed in the same transaction keeps the response without the secret.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '#shared/config/config';
import { idempotencyRepository } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import type { TenantContext } from '#shared/tenancy/context';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  MAX_WEBHOOKS_PER_TENANT,
} from '#shared/webhooks/endpoints';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
process.env.WEBHOOKS_ALLOW_LOOPBACK = 'true';
resetConfigForTests();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const table = new FakeTable();

const ctx = { tenantId: TENANT } as TenantContext;
const input = (n: number) => ({
  url: `http://127.0.0.1:9/hook/${n}`,
  events: ['document.authorized' as const],
});
const held = () => table.get(keys.webhookCounter(TENANT))?.held;
const endpointItems = () =>
  table.partition(`T#${TENANT}`).filter((item) => String(item.sk).startsWith('WEBHOOK#'));

beforeEach(() => {
  ddb.reset();
  kms.reset();
  table.clear();
  table.install(ddb);
  kms.on(EncryptCommand).resolves({ CiphertextBlob: new TextEncoder().encode('ciphertext') });
});

describe('webhook endpoints: the limit', () => {
  it('concurrent creations never pass the limit: 10 of 12 are created, the others get WEBHOOK_LIMIT_REACHED', async () => {
    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: MAX_WEBHOOKS_PER_TENANT + 2 }, (_, n) => createWebhook(ctx, input(n))),
    );

    // Assess
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(created).toHaveLength(MAX_WEBHOOKS_PER_TENANT);
    expect(refused.map((error) => error.code)).toEqual(['WEBHOOK_LIMIT_REACHED', 'WEBHOOK_LIMIT_REACHED']);
    expect(endpointItems()).toHaveLength(MAX_WEBHOOKS_PER_TENANT);
    expect(held()).toBe(MAX_WEBHOOKS_PER_TENANT);
  });

  it('a delete releases its place in the counter', async () => {
    // Prepare
    const endpoints = [];
    for (let n = 0; n < MAX_WEBHOOKS_PER_TENANT; n++) endpoints.push(await createWebhook(ctx, input(n)));
    await expect(createWebhook(ctx, input(99))).rejects.toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED' });

    // Act
    await deleteWebhook(ctx, endpoints[0]!.id);
    const afterDelete = held();
    const replacement = await createWebhook(ctx, input(100));

    // Assess
    expect(afterDelete).toBe(MAX_WEBHOOKS_PER_TENANT - 1);
    expect(held()).toBe(MAX_WEBHOOKS_PER_TENANT);
    expect((await listWebhooks(ctx)).map((endpoint) => endpoint.id)).toContain(replacement.id);
    await expect(deleteWebhook(ctx, endpoints[0]!.id)).rejects.toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
    expect(held()).toBe(MAX_WEBHOOKS_PER_TENANT);
  });

  it('endpoints registered before the counter existed are counted by the next creation', async () => {
    // Prepare
    for (let n = 0; n < 3; n++) {
      table.put({
        ...keys.webhook(TENANT, `OLD${n}`),
        id: `OLD${n}`,
        url: `https://erp.example.com/${n}`,
        events: ['document.authorized'],
        status: 'enabled',
        createdAt: '2026-12-01T00:00:00.000Z',
        secretCiphertext: 'Y2lwaGVydGV4dA==',
      });
    }

    // Act
    await createWebhook(ctx, input(1));

    // Assess
    expect(held()).toBe(4);
  });
});

describe('webhook endpoints: idempotency', () => {
  it('completes the idempotency record in the creation’s transaction, keeping the response without the secret', async () => {
    // Prepare
    const outcome = await idempotencyRepository.claim(
      { tenantId: TENANT, operation: 'createWebhook', key: 'k-1', bodyHash: 'h' },
      { lockMs: 10_000 },
    );
    if (outcome.kind !== 'claimed') throw new Error('expected the key to be free');

    // Act
    const created = await createWebhook(ctx, input(1), {
      idempotency: {
        scope: outcome.claim,
        storedResponse: (webhook) => ({
          statusCode: 201,
          headers: { location: `/v1/webhooks/${webhook.id}` },
          body: JSON.stringify({ success: true, data: webhook }),
        }),
      },
    });

    // Assess
    expect(created.secret).toMatch(/^whsec_/);
    const record = await idempotencyRepository.get({
      tenantId: TENANT,
      operation: 'createWebhook',
      key: 'k-1',
    });
    expect(record?.status).toBe('COMPLETED');
    const response = record?.status === 'COMPLETED' ? record.response : undefined;
    const body = response && 'body' in response ? JSON.parse(response.body) : undefined;
    expect(body.data).toMatchObject({ id: created.id, url: created.url, status: 'enabled' });
    expect(body.data).not.toHaveProperty('secret');
    expect(JSON.stringify(table.partition(`T#${TENANT}`))).not.toContain(created.secret);
  });
});
