import { brotliDecompressSync } from 'node:zlib';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  bodyHash,
  canonicalJson,
  completedItem,
  decide,
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyKeyHash,
  idempotencyRepository,
} from '#shared/data/idempotency';
import { documentPath, toDocumentResource } from '#shared/documents/resource';
import { toHttpResponse } from '#shared/http/handler';
import { toStored } from '#shared/http/middlewares';
import { FakeTable } from './fake-table.ts';
import { documentRecord } from './fixtures.ts';
import { setTestEnv } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const table = new FakeTable();

const now = new Date('2026-11-22T12:00:00Z');
const scope = { tenantId: 'acme', operation: 'issueDocument', key: 'k-1', bodyHash: bodyHash({ a: 1 }) };

/** The 202 of POST /v1/documents for a taxpayer invoice, exactly as the API answers and stores it. */
function typical202() {
  const doc = documentRecord({
    documentId: '01KAQ7Z3M4N5P6Q7R8S9T0V1W2',
    receiver: {
      type: 'taxpayer',
      ruc: '155596713-2-2015',
      name: 'DISTRIBUIDORA DEL ISTMO, S.A.',
      emails: ['facturacion@distribuidora-istmo.com.pa'],
    },
    totals: {
      net: '1250.00',
      itbms: '87.50',
      taxes: '87.50',
      discount: '25.00',
      total: '1312.50',
      received: '1312.50',
      itemCount: 12,
    },
  });
  return toStored(
    toHttpResponse(
      { statusCode: 202, data: toDocumentResource(doc), headers: { location: documentPath(doc.documentId) } },
      202,
    ),
  );
}

/**
 * DynamoDB's item size: attribute names plus values (strings and binaries by their bytes, numbers about one
 * byte per two digits plus one, maps and lists 3 bytes plus one per element).
 */
function itemSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + itemSize(v) + 1, 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, v]) => sum + Buffer.byteLength(name, 'utf8') + itemSize(v) + 1,
      0,
    )
  );
}
const topLevelSize = (item: Record<string, unknown>) =>
  Object.entries(item).reduce((sum, [name, v]) => sum + Buffer.byteLength(name, 'utf8') + itemSize(v), 0);

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
});

describe('idempotency rules', () => {
  it('hashes bodies canonically (key order does not matter)', () => {
    expect(canonicalJson({ b: 2, a: [1, { d: 4, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":4}],"b":2}');
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
  });

  it('separates keys by operation', () => {
    expect(idempotencyKeyHash('issueDocument', 'k')).not.toBe(idempotencyKeyHash('createBranch', 'k'));
  });

  it('replays the same key and body; refuses another body; an expired or missing record is new', () => {
    const response = { statusCode: 202, headers: { location: '/v1/documents/X' }, body: '{"success":true}' };
    const record = {
      status: 'COMPLETED' as const,
      bodyHash: scope.bodyHash,
      response,
      expiresAt: Math.floor(now.getTime() / 1000) + 60,
    };
    expect(decide(record, scope, now)).toEqual({ kind: 'replay', response });
    expect(decide(record, { ...scope, bodyHash: bodyHash({ a: 2 }) }, now)).toEqual({ kind: 'mismatch' });
    expect(decide(undefined, scope, now)).toEqual({ kind: 'new' });
    expect(decide({ ...record, expiresAt: Math.floor(now.getTime() / 1000) }, scope, now)).toEqual({
      kind: 'new',
    });
  });

  it('keeps records for 24 hours, tenant-scoped, under a hash of operation and key', () => {
    const item = completedItem(scope, typical202(), now);
    expect(item.expiresAt).toBe(Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS);
    expect(IDEMPOTENCY_TTL_SECONDS).toBe(86_400);
    expect(item.pk).toBe(`T#acme#IDEMPOTENCY#${idempotencyKeyHash('issueDocument', 'k-1')}`);
    expect(item.sk).toBe('IDEMPOTENCY');
  });
});

/** Claims the scope's key (as the middleware does before the handler) and returns the claim. */
async function claimed(target = scope, at = now) {
  const outcome = await idempotencyRepository.claim(target, { lockMs: 10_000, now: at });
  if (outcome.kind !== 'claimed') throw new Error(`not claimed: ${outcome.kind}`);
  return outcome.claim;
}

describe('compact records', () => {
  it('stores the body brotli-compressed and gives back exactly the response it was given', async () => {
    const response = typical202();
    expect(await idempotencyRepository.complete(await claimed(), response, now)).toBe(true);

    const written = ddb.commandCalls(PutCommand)[1]!.args[0].input.Item!;
    expect(written.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(written.body).toString('utf8')).not.toContain('"success":true');
    expect(brotliDecompressSync(written.body).toString('utf8')).toBe(response.body);
    expect(written).toMatchObject({
      status: 'COMPLETED',
      statusCode: 202,
      headers: response.headers,
      bodyHash: scope.bodyHash,
    });
    expect(written).not.toHaveProperty('owner');

    const record = await idempotencyRepository.get(scope);
    expect(record).toEqual({
      status: 'COMPLETED',
      bodyHash: scope.bodyHash,
      expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
      response,
    });
    expect(decide(record, scope, now)).toEqual({ kind: 'replay', response });
  });

  it('round-trips bodies with any characters, and an empty one', async () => {
    for (const [key, body] of [
      ['k-utf8', JSON.stringify({ success: true, data: { name: 'CAFÉ Ñandú — “ok” 😀', n: '1.00' } })],
      ['k-empty', ''],
    ] as const) {
      const response = { statusCode: 201, headers: {}, body };
      await idempotencyRepository.complete(await claimed({ ...scope, key }), response, now);
      const record = await idempotencyRepository.get({ ...scope, key });
      expect(record?.status === 'COMPLETED' && record.response).toEqual(response);
    }
  });

  it('a typical 202 record stays within one write unit (1 KB); uncompressed it would not', () => {
    const response = typical202();
    const item = completedItem(scope, response, now);
    const size = topLevelSize(item);
    expect(size).toBeLessThan(1024);
    const uncompressed = topLevelSize({ ...item, body: response.body });
    expect(uncompressed).toBeGreaterThan(1024);
  });

  it('a completion whose claim was taken over writes nothing (the new holder’s record stays)', async () => {
    const first = await claimed();
    const later = new Date(first.lockedUntil + 1);
    const second = await claimed(scope, later);
    expect(await idempotencyRepository.complete(first, typical202(), later)).toBe(false);
    expect(await idempotencyRepository.release(first)).toBe(false);
    expect((await idempotencyRepository.get(scope))?.status).toBe('IN_PROGRESS');
    expect(await idempotencyRepository.complete(second, typical202(), later)).toBe(true);
  });

  it('an expired record that TTL has not removed yet may be claimed again', async () => {
    await idempotencyRepository.complete(await claimed(), typical202(), now);
    const later = new Date(now.getTime() + (IDEMPOTENCY_TTL_SECONDS + 1) * 1000);
    const fresh = { statusCode: 202, headers: {}, body: '{"fresh":true}' };
    expect(await idempotencyRepository.complete(await claimed(scope, later), fresh, later)).toBe(true);
    const record = await idempotencyRepository.get(scope);
    expect(record?.status === 'COMPLETED' && record.response).toEqual(fresh);
  });
});
