import { describe, expect, it } from 'vitest';
import { invoice } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

const foreignReceiver = {
  type: 'foreign' as const,
  foreignId: { type: 'tax-id' as const, number: '59-1234567' },
  country: 'US',
};

describe('document-type rule', () => {
  it.each([
    ['invoice', '01', '01', '1', '1'],
    ['import-invoice', '02', '21', '2', '2'],
    ['export-invoice', '03', '02', '2', '1'],
    ['credit-note', '04', '11', '1', '1'],
    ['debit-note', '05', '01', '1', '1'],
    ['generic-credit-note', '06', '11', '1', '1'],
    ['generic-debit-note', '07', '01', '1', '1'],
    ['free-zone-invoice', '08', '01', '1', '1'],
    ['reimbursement', '09', '01', '1', '1'],
    ['foreign-invoice', '10', '04', '2', '1'],
  ] as const)(
    'defaults a %s (%s) to nature %s, destination %s, operation type %s',
    (type, iDoc, iNatOp, iDest, iTipoOp) => {
      // Prepare: no nature/destination/operation type given; references and receivers fitting the type
      const abroad = iDest === '2';
      const raw = invoice({
        type,
        receiver: abroad ? foreignReceiver : invoice().receiver,
        ...(type === 'export-invoice' && { export: { incoterm: 'FOB' } }),
        ...((type === 'credit-note' || type === 'debit-note') && {
          references: [
            {
              cufe: 'FE0120000155596713-2-2015-5900002026110100000001000010124829136750',
              issuedAt: '2026-11-01T10:30:00-05:00',
            },
          ],
        }),
      });

      // Act
      const result = validate(raw);

      // Assess
      expect(result.ok && result.document.codes).toMatchObject({ iDoc, iNatOp, iDest, iTipoOp });
    },
  );

  it('rejects a nature of operation that does not fit the document type, listing the allowed ones', () => {
    // Act
    const violations = violationsOf(invoice({ operationNature: 'return' }));

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ path: 'operationNature', message: expect.stringContaining('"sale"') }),
    ]);
  });

  it('fixes destination and operation type for an import invoice', () => {
    // Act
    const violations = violationsOf(
      invoice({ type: 'import-invoice', destination: 'panama', operationType: 'outgoing' }),
    );

    // Assess
    expect(paths(violations)).toEqual(['destination', 'operationType']);
  });

  it('forbids saleType on notes and defaults it to ordinary on sales', () => {
    // Act
    const onNote = violationsOf(invoice({ type: 'generic-debit-note', saleType: 'service' }));
    const onSale = validate(invoice());

    // Assess
    expect(paths(onNote)).toEqual(['saleType']);
    expect(onSale.ok && onSale.document.codes.iTipoTranVenta).toBe('1');
  });

  it('keeps receiver country and destination consistent (PA inside Panama, not PA abroad)', () => {
    // Act
    const inside = violationsOf(invoice({ receiver: { ...foreignReceiver } }));
    const abroad = violationsOf(
      invoice({
        type: 'export-invoice',
        export: { incoterm: 'FOB' },
        receiver: { ...foreignReceiver, country: 'PA' },
      }),
    );

    // Assess
    expect(paths(inside)).toEqual(['receiver.country']);
    expect(paths(abroad)).toEqual(['receiver.country']);
  });

  it('requires export data on an export invoice and refuses it for Panama', () => {
    // Act
    const missing = violationsOf(invoice({ type: 'export-invoice', receiver: foreignReceiver }));
    const misplaced = violationsOf(invoice({ export: { incoterm: 'FOB' } }));

    // Assess
    expect(paths(missing)).toEqual(['export']);
    expect(paths(misplaced)).toEqual(['export']);
  });

  it('refuses an exchange rate for USD and needs a description for currency ZZZ', () => {
    // Prepare
    const base = { type: 'export-invoice' as const, receiver: foreignReceiver };

    // Act
    const usd = violationsOf(
      invoice({ ...base, export: { incoterm: 'FOB', currency: 'USD', exchangeRate: '1.00' } }),
    );
    const zzz = violationsOf(invoice({ ...base, export: { incoterm: 'CIF', currency: 'ZZZ' } }));
    const eur = validate(
      invoice({ ...base, export: { incoterm: 'CIF', currency: 'EUR', exchangeRate: '1.0825' } }),
    );

    // Assess
    expect(paths(usd)).toEqual(['export.exchangeRate']);
    expect(paths(zzz)).toEqual(['export.currencyDescription']);
    expect(eur.ok).toBe(true);
  });
});
