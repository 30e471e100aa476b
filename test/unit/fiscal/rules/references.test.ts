import { describe, expect, it } from 'vitest';
import { buildCufe } from '#shared/fiscal/cufe';
import { invoice, REFERENCED_CUFE } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

const reference = { cufe: REFERENCED_CUFE, issuedAt: '2026-11-01T10:30:00-05:00' };
const now = new Date('2026-11-22T12:00:00-05:00');

describe('references rule', () => {
  it('accepts a credit note referencing an invoice by CUFE and date', () => {
    // Act & Assess
    expect(validate(invoice({ type: 'credit-note', references: [reference] }), now).ok).toBe(true);
  });

  it.each(['credit-note', 'debit-note'] as const)('requires a CUFE reference on a %s', (type) => {
    // Act
    const none = violationsOf(invoice({ type }), now);
    const paperOnly = violationsOf(
      invoice({ type, references: [{ paperInvoiceNumber: 'A-1', issuedAt: '2026-11-01T10:00:00-05:00' }] }),
      now,
    );

    // Assess
    expect(none).toEqual([
      expect.objectContaining({ path: 'references', ruleId: 'references.cufe-required' }),
    ]);
    expect(paperOnly).toEqual([
      expect.objectContaining({ path: 'references[0].cufe', ruleId: 'references.cufe-required' }),
    ]);
  });

  it.each(['generic-credit-note', 'generic-debit-note'] as const)(
    'forbids a CUFE reference on a %s',
    (type) => {
      // Act
      const violations = violationsOf(invoice({ type, references: [reference] }), now);

      // Assess
      expect(violations).toEqual([
        expect.objectContaining({
          path: 'references[0].cufe',
          ruleId: 'references.no-cufe-on-generic-notes',
        }),
      ]);
    },
  );

  it('rejects a CUFE with a wrong check digit', () => {
    // Prepare
    const broken = `${REFERENCED_CUFE.slice(0, 65)}${(Number(REFERENCED_CUFE.at(-1)) + 1) % 10}`;

    // Act
    const violations = violationsOf(
      invoice({ type: 'credit-note', references: [{ ...reference, cufe: broken }] }),
      now,
    );

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'references[0].cufe',
        message: expect.stringContaining('check digit'),
      }),
    ]);
  });

  it('requires the reference date to be the date encoded in the CUFE', () => {
    // Act
    const violations = violationsOf(
      invoice({ type: 'credit-note', references: [{ ...reference, issuedAt: '2026-11-02T10:30:00-05:00' }] }),
      now,
    );

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ path: 'references[0].issuedAt', code: 'REFERENCE_DATE_MISMATCH' }),
    ]);
  });

  it('refuses a referenced invoice older than 180 days', () => {
    // Prepare
    const old = buildCufe({
      documentType: '01',
      rucType: '2',
      ruc: '155596713-2-2015',
      dv: '59',
      branch: '0000',
      date: '20260501',
      number: '0000000050',
      pointOfSale: '001',
      emissionType: '01',
      environment: '2',
      securityCode: '111222333',
    });

    // Act
    const violations = violationsOf(
      invoice({ type: 'credit-note', references: [{ cufe: old, issuedAt: '2026-05-01T09:00:00-05:00' }] }),
      now,
    );

    // Assess: 2026-05-01 → 2026-11-22 is 205 days
    expect(violations).toEqual([
      expect.objectContaining({ path: 'references[0].issuedAt', ruleId: 'references.within-180-days' }),
    ]);
  });

  it('warns of a reference dated after this document (no evidence that HKA refuses it)', () => {
    // Act
    const result = validate(
      invoice({
        type: 'generic-credit-note',
        issuedAt: '2026-11-20T10:00:00-05:00',
        references: [{ paperInvoiceNumber: 'A-1', issuedAt: '2026-11-21T10:00:00-05:00' }],
      }),
      now,
    );

    // Assess
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'references[0].issuedAt',
        ruleId: 'references.not-after-emission',
        severity: 'warning',
      }),
    ]);
  });

  it('needs exactly one of cufe / paper / fiscal-printer number per reference', () => {
    // Act
    const violations = violationsOf(
      invoice({
        type: 'generic-credit-note',
        references: [
          {
            paperInvoiceNumber: 'A-1',
            fiscalPrinterInvoiceNumber: 'B-2',
            issuedAt: '2026-11-01T10:00:00-05:00',
          },
          { issuedAt: '2026-11-01T10:00:00-05:00' },
        ],
      }),
      now,
    );

    // Assess
    expect(paths(violations)).toEqual(['references[0]', 'references[1]']);
  });

  it('limits references to 99', () => {
    // Prepare
    const many = Array.from({ length: 100 }, () => ({
      paperInvoiceNumber: 'A-1',
      issuedAt: '2026-11-01T10:00:00-05:00',
    }));

    // Act
    const violations = violationsOf(invoice({ type: 'generic-credit-note', references: many }), now);

    // Assess
    expect(paths(violations)).toEqual(['references']);
  });

  it('checks the DV of a given referenced issuer and that it is the issuer in the CUFE', () => {
    // Prepare
    const issuer = { rucType: '2' as const, ruc: '2588017-1-831938', dv: '21', name: 'OTRO EMISOR, S.A.' };

    // Act
    const violations = violationsOf(
      invoice({ type: 'credit-note', references: [{ ...reference, issuer }] }),
      now,
    );

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ path: 'references[0].issuer.dv', code: 'RUC_DV_MISMATCH' }),
      expect.objectContaining({ path: 'references[0].issuer.ruc', code: 'REFERENCE_ISSUER' }),
    ]);
  });

  it('warns on a credit note referencing another credit note', () => {
    // Prepare
    const creditNoteCufe = buildCufe({
      documentType: '04',
      rucType: '2',
      ruc: '155596713-2-2015',
      dv: '59',
      branch: '0000',
      date: '20261101',
      number: '0000000007',
      pointOfSale: '001',
      emissionType: '01',
      environment: '2',
      securityCode: '999888777',
    });

    // Act
    const result = validate(
      invoice({ type: 'credit-note', references: [{ ...reference, cufe: creditNoteCufe }] }),
      now,
    );

    // Assess: DGI 1712–1716 are unconfirmed, so only a warning
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'references[0].cufe', ruleId: 'references.same-kind-note' }),
    ]);
  });
});
