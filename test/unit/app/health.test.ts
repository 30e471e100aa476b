import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/api/health/get-health';
import { forgetBreakerCacheForTests } from '#shared/hka/breaker';
import { healthSchema } from '#shared/http/health-operations';
import { FakeTable } from './fake-table.ts';
import { setTestEnv } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const table = new FakeTable();

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
  forgetBreakerCacheForTests();
});

describe('GET /v1/health', () => {
  it('200: DynamoDB answers; HKA per environment as its breaker sees it, nothing of any tenant', async () => {
    // Prepare
    table.put({
      pk: 'T#_platform#HKA#demo',
      sk: 'BREAKER',
      state: 'open',
      consecutiveFailures: 7,
      downSince: '2026-11-22T12:00:00.000Z',
      openedAt: '2026-11-22T12:00:05.000Z',
      nextProbeAt: '2026-11-22T12:11:00.000Z',
      lastError: 'HkaTransientError: HKA Enviar answered HTTP 503',
    });

    // Act
    const response = await handler();

    // Assess
    expect(response.statusCode).toBe(200);
    const body = healthSchema.parse(JSON.parse(response.body).data);
    expect(body).toEqual({
      status: 'ok',
      checkedAt: expect.any(String),
      dependencies: {
        dynamodb: 'up',
        hka: {
          demo: { state: 'open', since: '2026-11-22T12:00:00.000Z', nextProbeAt: '2026-11-22T12:11:00.000Z' },
          prod: { state: 'closed' },
        },
      },
    });
    // The breaker's last error may name a tenant's call: never shown.
    expect(response.body).not.toContain('HTTP 503');
    expect(response.headers?.['cache-control']).toBe('no-store');
  });

  it('503 when DynamoDB does not answer', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' }));
    const response = await handler();
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ success: false, code: 'UPSTREAM_UNAVAILABLE' });
  });
});
