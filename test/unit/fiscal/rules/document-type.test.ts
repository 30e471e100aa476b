import { describe, expect, it } from 'vitest';
import { validateDocument } from '#shared/fiscal/validate';
import { EXAMPLES_NOW, invoice } from '../support/documents';
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

  it('only warns on a nature outside the combination table, listing the expected ones', () => {
    // Act
    const result = validate(invoice({ operationNature: 'return' }));

    // Assess: HKA's own examples contradict the table, so the document is accepted
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'operationNature',
        severity: 'warning',
        ruleId: 'document-type.nature-table',
        message: expect.stringContaining('01'),
      }),
    ]);
  });

  it('only warns on destination and operation type for an import invoice (HKA example: 1 and 1)', () => {
    // Act
    const result = validate(
      invoice({ type: 'import-invoice', destination: 'panama', operationType: 'outgoing' }),
    );

    // Assess
    expect(result.ok).toBe(true);
    expect(paths(result.warnings)).toEqual(['destination', 'operationType']);
  });

  it('refuses an invoice going abroad (DGI 1534)', () => {
    // Act
    const violations = violationsOf(invoice({ destination: 'abroad', receiver: { ...foreignReceiver } }));

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'destination',
        ruleId: 'document-type.destination',
        severity: 'error',
      }),
    ]);
  });

  it('turns warnings into errors when the tenant promotes them', () => {
    // Act
    const result = validateDocument(invoice({ operationNature: 'return' }), {
      now: EXAMPLES_NOW,
      promoteWarnings: true,
    });

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.violations).toEqual([
      expect.objectContaining({ path: 'operationNature', severity: 'error' }),
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('warns of saleType on notes (a refusal is unconfirmed) and defaults it to ordinary on sales', () => {
    // Act
    const onNote = validate(invoice({ type: 'generic-debit-note', saleType: 'service' }));
    const onSale = validate(invoice());

    // Assess
    expect(onNote.ok).toBe(true);
    expect(onNote.warnings).toEqual([
      expect.objectContaining({
        path: 'saleType',
        ruleId: 'document-type.no-sale-type-on-notes',
        severity: 'warning',
      }),
    ]);
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
    expect(paths(zzz)).toEqual(['export.currencyDescription', 'export.exchangeRate']);
    expect(eur.ok).toBe(true);
  });
});
