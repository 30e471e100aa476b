import { describe, expect, it } from 'vitest';
import { auditSeries, storedClaim } from '#shared/data/series-audit';

describe('auditSeries', () => {
  it('counts issued numbers, lists voids with their reason, numbers without a claim and claims past the counter', () => {
    const claims = [
      { sk: 'NUMBER#0000000001', documentId: 'A', claimedAt: '…' },
      {
        sk: 'NUMBER#0000000002',
        number: '0000000002',
        status: 'VOID',
        documentId: 'B',
        voidReason: 'IDEMPOTENCY_KEY_TAKEN',
      },
      { sk: 'NUMBER#0000000004', number: '0000000004', status: 'ISSUED', documentId: 'D' },
      { sk: 'NUMBER#0000000007', number: '0000000007', status: 'ISSUED', documentId: 'G' },
    ].map(storedClaim);

    expect(auditSeries(5, claims)).toEqual({
      lastNumber: 5,
      issued: 2,
      voided: [{ number: '0000000002', reason: 'IDEMPOTENCY_KEY_TAKEN', documentId: 'B' }],
      missing: ['0000000003', '0000000005'],
      beyondCounter: ['0000000007'],
    });
  });

  it('reads a claim written before voids existed (key and document only) as ISSUED with the key’s number', () => {
    expect(storedClaim({ pk: 'T#t#SERIES#0000#001', sk: 'NUMBER#0000000042', documentId: 'X' })).toEqual({
      number: '0000000042',
      documentId: 'X',
      status: 'ISSUED',
    });
  });

  it('an empty series is clean', () => {
    expect(auditSeries(0, [])).toEqual({
      lastNumber: 0,
      issued: 0,
      voided: [],
      missing: [],
      beyondCounter: [],
    });
  });
});
