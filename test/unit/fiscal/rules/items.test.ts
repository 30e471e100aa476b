import { describe, expect, it } from 'vitest';
import { invoice } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

const item = { description: 'Producto', quantity: '1', unitPrice: '10.00', itbmsRate: '7' };

describe('items rule', () => {
  it('rejects a per-unit discount above the unit price', () => {
    // Act
    const violations = violationsOf(invoice({ items: [{ ...item, unitDiscount: '10.01' }] }));

    // Assess
    expect(paths(violations)).toContain('items[0].unitDiscount');
  });

  it('rejects an ISC amount that disagrees with its rate', () => {
    // Act
    const violations = violationsOf(
      invoice({
        items: [{ ...item, isc: { rate: '0.05', amount: '1.00' } }],
        payments: [{ method: 'cash', amount: '20' }],
      }),
    );

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ path: 'items[0].isc.amount', code: 'ISC_MISMATCH' }),
    ]);
  });

  it('accepts an ISC amount consistent with its rate', () => {
    // Act & Assess
    expect(
      validate(
        invoice({
          items: [{ ...item, isc: { rate: '0.05', amount: '0.50' } }],
          payments: [{ method: 'cash', amount: '20' }],
        }),
      ).ok,
    ).toBe(true);
  });

  it('requires ISC to have a rate or an amount', () => {
    // Act
    const violations = violationsOf(invoice({ items: [{ ...item, isc: {} }] }));

    // Assess
    expect(paths(violations)).toEqual(['items[0].isc']);
  });

  it('orders manufacturing and expiry dates', () => {
    // Act
    const violations = violationsOf(
      invoice({ items: [{ ...item, manufacturedOn: '2026-10-01', expiresOn: '2026-09-01' }] }),
    );

    // Assess
    expect(paths(violations)).toEqual(['items[0].expiresOn']);
  });

  it('requires the CPBS family to belong to its segment', () => {
    // Act
    const violations = violationsOf(
      invoice({ items: [{ ...item, cpbs: { segment: '14', family: '4410', unit: 'und' } }] }),
    );

    // Assess
    expect(paths(violations)).toEqual(['items[0].cpbs.family']);
  });

  it('validates catalog codes (unit, CPBS) and GTIN formats in the schema', () => {
    // Act
    const violations = violationsOf(
      invoice({
        items: [{ ...item, unit: 'UND', cpbs: { segment: '99', family: '9999' }, gtin: { code: '12345' } }],
      }),
    );

    // Assess
    expect(paths(violations)).toEqual(
      expect.arrayContaining([
        'items[0].unit',
        'items[0].cpbs.segment',
        'items[0].cpbs.family',
        'items[0].gtin.code',
      ]),
    );
  });

  it('rejects product codes with special characters HKA refuses', () => {
    // Act
    const violations = violationsOf(invoice({ items: [{ ...item, code: 'A:1' }] }));

    // Assess
    expect(paths(violations)).toEqual(['items[0].code']);
  });
});

describe('dates rule', () => {
  it('warns on an emission date more than 2 days ahead (unconfirmed, brief §9.5), never refuses it', () => {
    // Act
    const result = validate(invoice({ issuedAt: '2026-11-25T12:00:01-05:00' }));

    // Assess
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'issuedAt', ruleId: 'dates.future-emission', severity: 'warning' }),
    ]);
  });

  it('rejects impossible calendar dates', () => {
    // Act
    const violations = violationsOf(invoice({ issuedAt: '2026-02-30T10:00:00-05:00' }));

    // Assess
    expect(paths(violations)).toEqual(['issuedAt']);
  });
});
