import { describe, expect, it } from 'vitest';
import { invoice } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

describe('payments and totals rules', () => {
  it('rejects payments below the document total, on "payments"', () => {
    // Act
    const violations = violationsOf(invoice({ payments: [{ method: 'cash', amount: '106.99' }] }));

    // Assess
    expect(violations).toEqual([
      {
        path: 'payments',
        message: 'add up to 106.99 but the document total is 107.00',
        code: 'PAYMENTS_BELOW_TOTAL',
        severity: 'error',
      },
    ]);
  });

  it('rejects global discounts larger than the items', () => {
    // Act
    const violations = violationsOf(invoice({ discounts: [{ description: 'Todo gratis', amount: '200' }] }));

    // Assess
    expect(paths(violations)).toEqual(['discounts']);
  });

  it('requires a description for "other" payments and only for them', () => {
    // Act
    const missing = violationsOf(invoice({ payments: [{ method: 'other', amount: '107' }] }));
    const extra = violationsOf(
      invoice({ payments: [{ method: 'cash', description: 'Pago en efectivo', amount: '107' }] }),
    );

    // Assess
    expect(paths(missing)).toEqual(['payments[0].description']);
    expect(paths(extra)).toEqual(['payments[0].description']);
  });

  it('accepts installments on credit and derives iPzPag', () => {
    // Prepare
    const raw = invoice({
      payments: [
        { method: 'credit', amount: '57.00' },
        { method: 'cash', amount: '50.00' },
      ],
      installments: [{ dueAt: '2026-12-22T12:00:00-05:00', amount: '57.00' }],
    });

    // Act
    const result = validate(raw);

    // Assess
    expect(result.ok && result.document.codes.iPzPag).toBe('3');
    expect(result.ok && result.document.installments?.[0]?.amount).toBe('57.00');
  });

  it('rejects installments without credit or above the total', () => {
    // Act
    const withoutCredit = violationsOf(
      invoice({ installments: [{ dueAt: '2026-12-22T12:00:00-05:00', amount: '10' }] }),
    );
    const tooMuch = violationsOf(
      invoice({
        payments: [{ method: 'credit', amount: '107' }],
        installments: [{ dueAt: '2026-12-22T12:00:00-05:00', amount: '108' }],
      }),
    );

    // Assess
    expect(paths(withoutCredit)).toEqual(['installments']);
    expect(paths(tooMuch)).toEqual(['installments']);
  });

  it('rejects a withholding above the total', () => {
    // Act
    const violations = violationsOf(invoice({ withholding: { code: '2', amount: '200' } }));

    // Assess
    expect(paths(violations)).toEqual(['withholding.amount']);
  });

  it('rejects computed item amounts beyond 9 integer digits', () => {
    // Prepare: each input fits, but 8000 × 99992.40 plus taxes does not
    const raw = invoice({
      items: [
        {
          description: 'Grande',
          quantity: '8000',
          unitPrice: '99992.40',
          itbmsRate: '7',
          isc: { rate: '0.325' },
        },
      ],
      payments: [{ method: 'cash', amount: '99999999999' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'items[0]',
        code: 'amounts.format',
        message:
          'El campo valorTotal es inválido. Formato numérico inválido. 1115915184.00: hasta 9 enteros y 6 decimales.',
      }),
    ]);
  });
});
