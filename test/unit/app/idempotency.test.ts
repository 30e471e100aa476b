import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  canonicalJson,
  decide,
  type IdempotencyRecord,
  idempotencyItem,
  idempotencyKeyHash,
} from '#shared/data/idempotency';

const now = new Date('2026-11-22T12:00:00Z');
const scope = { tenantId: 'acme', operation: 'issueDocument', key: 'k-1', bodyHash: bodyHash({ a: 1 }) };
const stored = { statusCode: 202, headers: { location: '/v1/documents/X' }, body: '{"success":true}' };

function record(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  const { pk: _pk, sk: _sk, ...item } = idempotencyItem(scope, stored, now);
  return { ...item, ...overrides };
}

describe('idempotency rules', () => {
  it('hashes bodies canonically (key order does not matter)', () => {
    expect(canonicalJson({ b: 2, a: [1, { d: 4, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":4}],"b":2}');
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
  });

  it('separates keys by operation', () => {
    expect(idempotencyKeyHash('issueDocument', 'k')).not.toBe(idempotencyKeyHash('createBranch', 'k'));
  });

  it('replays the same key and body', () => {
    expect(decide(record(), scope, now)).toEqual({ kind: 'replay', response: stored });
  });

  it('refuses the same key with another body', () => {
    expect(decide(record(), { ...scope, bodyHash: bodyHash({ a: 2 }) }, now)).toEqual({ kind: 'mismatch' });
  });

  it('treats no record and an expired record as new', () => {
    expect(decide(undefined, scope, now)).toEqual({ kind: 'new' });
    const expired = record({ expiresAt: Math.floor(now.getTime() / 1000) - 1 });
    expect(decide(expired, scope, now)).toEqual({ kind: 'new' });
  });

  it('keeps records for 24 hours, tenant-scoped', () => {
    const item = idempotencyItem(scope, stored, now);
    expect(item.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 86_400);
    expect(item.pk.startsWith('T#acme#IDEMPOTENCY#')).toBe(true);
  });
});
