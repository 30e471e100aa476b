import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '#shared/data/documents';
import { buildNumberingAudit } from '#shared/reports/numbering-audit';
import { numberingWindow } from '#shared/reports/service';

const doc = (
  number: string,
  documentId: string,
  status: DocumentRecord['status'],
  extra: Partial<DocumentRecord> = {},
) => ({ documentId, number, status, branch: '0000', pointOfSale: '001', ...extra }) as DocumentRecord;

describe('buildNumberingAudit', () => {
  it('gives each number its final state and lists the gaps with their reason', () => {
    // Prepare
    const claims = [
      { number: '0000000001', documentId: 'A', status: 'ISSUED' as const },
      { number: '0000000002', documentId: 'B', status: 'ISSUED' as const },
      {
        number: '0000000003',
        documentId: 'X',
        status: 'VOID' as const,
        voidReason: 'WRITE_CONFLICT' as const,
      },
      { number: '0000000005', documentId: 'C', status: 'ISSUED' as const },
      { number: '0000000006', documentId: 'D', status: 'ISSUED' as const },
      { number: '0000000007', documentId: 'E', status: 'ISSUED' as const },
    ];
    const documents = [
      doc('0000000001', 'A', 'AUTHORIZED'),
      doc('0000000002', 'B', 'REJECTED', {
        reasons: [{ path: 'receiver.ruc', message: 'no', code: 'RUC_NOT_REGISTERED' }],
      }),
      doc('0000000005', 'C', 'CANCELLED'),
      doc('0000000006', 'D', 'FAILED'),
      doc('0000000007', 'E', 'PROCESSING'),
    ];

    // Act
    const audit = buildNumberingAudit({
      branch: '0000',
      pointOfSale: '001',
      lastNumber: 7,
      window: { from: 1, to: 7 },
      claims,
      documents,
    });

    // Assess
    expect(audit.numbers.map((n) => n.state)).toEqual([
      'AUTHORIZED',
      'REJECTED',
      'VOID',
      'MISSING',
      'CANCELLED',
      'FAILED',
      'PROCESSING',
    ]);
    expect(audit.gaps.map((g) => [g.number, g.state, g.reason])).toEqual([
      ['0000000002', 'REJECTED', 'RUC_NOT_REGISTERED'],
      ['0000000003', 'VOID', 'WRITE_CONFLICT'],
      ['0000000004', 'MISSING', 'NO_CLAIM'],
      ['0000000006', 'FAILED', 'FAILED'],
    ]);
    expect(audit.duplicates).toEqual([]);
    expect(audit.allocated).toEqual({ from: '0000000001', to: '0000000007' });
    expect(audit.counts.AUTHORIZED).toBe(1);
  });

  it('reports a number carried by two documents as a duplicate', () => {
    // Act
    const audit = buildNumberingAudit({
      branch: '0000',
      pointOfSale: '001',
      lastNumber: 2,
      window: { from: 1, to: 2 },
      claims: [
        { number: '0000000001', documentId: 'A', status: 'ISSUED' },
        { number: '0000000002', documentId: 'B', status: 'ISSUED' },
      ],
      documents: [doc('0000000001', 'A', 'AUTHORIZED'), doc('0000000001', 'B', 'AUTHORIZED')],
    });

    // Assess
    expect(audit.duplicates).toEqual([{ number: '0000000001', documentIds: ['A', 'B'] }]);
  });

  it('is empty before the first number', () => {
    // Act
    const audit = buildNumberingAudit({
      branch: '0000',
      pointOfSale: '001',
      lastNumber: 0,
      window: null,
      claims: [],
      documents: [],
    });

    // Assess
    expect(audit).toMatchObject({ allocated: null, window: null, numbers: [], gaps: [], duplicates: [] });
  });
});

describe('numberingWindow', () => {
  it('defaults to the newest 5,000 numbers and keeps a window inside the series', () => {
    expect(numberingWindow(12_000, {})).toEqual({ from: 7001, to: 12_000 });
    expect(numberingWindow(30, {})).toEqual({ from: 1, to: 30 });
    expect(numberingWindow(30, { from: 10 })).toEqual({ from: 10, to: 30 });
    expect(numberingWindow(12_000, { from: 2 })).toEqual({ from: 2, to: 5001 });
    expect(numberingWindow(30, { to: 12 })).toEqual({ from: 1, to: 12 });
    expect(numberingWindow(30, { from: 40 })).toBeNull();
    expect(numberingWindow(0, {})).toBeNull();
  });
});
