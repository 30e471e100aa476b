import { describe, expect, it } from 'vitest';
import { type Dec, dec, sum } from '#shared/fiscal/amounts';
import { LEDGER_RATE_CODES, ledgerOf, rateOf } from '#shared/reports/ledger';
import { generateMonth } from './generated-month';

const month = generateMonth(600);

/** Σ of an item field at a rate, straight from the computed items (the oracle, not the ledger). */
const itemsAt = (code: string, pick: (item: (typeof month)[number]['computed']['items'][number]) => string) =>
  sum(
    month.flatMap(({ computed }) =>
      computed.items.filter((item) => item.itbmsRate === code).map((i) => dec(pick(i))),
    ),
  );

describe('ledgerOf', () => {
  it('generates a month of every kind of document', () => {
    // Assess
    const types = new Set(month.map(({ computed }) => computed.type));
    expect(month.length).toBeGreaterThanOrEqual(500);
    expect(types).toEqual(
      new Set([
        'invoice',
        'export-invoice',
        'credit-note',
        'debit-note',
        'generic-credit-note',
        'generic-debit-note',
        'free-zone-invoice',
        'reimbursement',
        'import-invoice',
        'foreign-invoice',
      ]),
    );
    expect(month.some(({ exemptReceiver }) => exemptReceiver)).toBe(true);
    expect(month.some(({ computed }) => computed.totals.isc !== undefined)).toBe(true);
    expect(month.some(({ computed }) => computed.totals.oti.length > 0)).toBe(true);
    expect(month.some(({ computed }) => computed.totals.discount !== undefined)).toBe(true);
  });

  it('adds up to each document’s total, to the cent', () => {
    for (const { computed } of month) {
      // Act
      const ledger = ledgerOf(computed);

      // Assess
      const parts = LEDGER_RATE_CODES.map((code) => rateOf(ledger, code)).flatMap((r) => [r.net, r.itbms]);
      const rebuilt = sum(parts)
        .plus(ledger.isc)
        .plus(ledger.oti)
        .plus(ledger.charges)
        .minus(ledger.discount);
      expect(rebuilt.toFixed(2)).toBe(computed.totals.total);
      expect(ledger.total).toBe(computed.totals.total);
      const itbms = sum(LEDGER_RATE_CODES.map((code) => rateOf(ledger, code).itbms));
      expect(itbms.toFixed(2)).toBe(computed.totals.itbms);
      const net = sum(LEDGER_RATE_CODES.map((code) => rateOf(ledger, code).net));
      expect(net.toFixed(2)).toBe(computed.totals.net);
      expect(ledger.isc).toBe(computed.totals.isc ?? '0.00');
    }
  });

  it('sums over the month to the items’ own figures per rate', () => {
    // Act
    const ledgers = month.map(({ computed }) => ledgerOf(computed));

    // Assess
    for (const code of LEDGER_RATE_CODES) {
      const net = sum(ledgers.map((ledger) => rateOf(ledger, code).net));
      const itbms = sum(ledgers.map((ledger) => rateOf(ledger, code).itbms));
      expect(net.toFixed(2)).toBe(itemsAt(code, (item) => item.price).toFixed(2));
      expect(itbms.toFixed(2)).toBe(itemsAt(code, (item) => item.itbms).toFixed(2));
    }
    const totals: Dec = sum(ledgers.map((ledger) => dec(ledger.total)));
    expect(totals.toFixed(2)).toBe(sum(month.map(({ computed }) => dec(computed.totals.total))).toFixed(2));
  });

  it('signs credit notes negative and classifies exports, incoming and foreign-source documents', () => {
    // Prepare
    const byType = (type: string) => month.find(({ computed }) => computed.type === type)?.computed;

    // Act / Assess
    expect(ledgerOf(byType('credit-note')!).sign).toBe(-1);
    expect(ledgerOf(byType('generic-credit-note')!).sign).toBe(-1);
    expect(ledgerOf(byType('debit-note')!).sign).toBe(1);
    expect(ledgerOf(byType('invoice')!).taxClass).toBe('domestic');
    expect(ledgerOf(byType('export-invoice')!).taxClass).toBe('export');
    expect(ledgerOf(byType('import-invoice')!).taxClass).toBe('incoming');
    expect(ledgerOf(byType('foreign-invoice')!).taxClass).toBe('foreign-source');
  });

  it('keeps the receiver’s DV and only the rates the document uses', () => {
    // Prepare
    const taxpayer = month.find(({ computed }) => computed.receiver.dv !== undefined)!.computed;
    const exempt = month.find(({ exemptReceiver }) => exemptReceiver)!.computed;

    // Act / Assess
    expect(ledgerOf(taxpayer).receiverDv).toBe(taxpayer.receiver.dv);
    expect(Object.keys(ledgerOf(exempt).rates)).toEqual(['00']);
  });
});
