import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec, round2, sum } from '#shared/fiscal/amounts';
import { itbmsRates } from '#shared/fiscal/codes';
import { computeDocument } from '#shared/fiscal/compute';
import { buildCufe, checkCufe, cufeCheckDigit } from '#shared/fiscal/cufe';
import { type DocumentInputRaw, documentInputSchema } from '#shared/fiscal/model';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { demoContext } from './support/demo-issuer';
import { EXAMPLES_NOW, REFERENCED_CUFE, taxpayerReceiver } from './support/documents';
import { validate } from './support/violations';

const RUNS = { numRuns: 50 };

/** A decimal string with `maxDecimals` decimals at most, from an integer number of units. */
const decimalString = (maxInteger: number, minDecimals: number, maxDecimals: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: maxInteger }),
      fc.integer({ min: minDecimals, max: maxDecimals }),
      fc.nat(),
    )
    .map(([integer, decimals, fraction]) =>
      decimals === 0
        ? String(integer)
        : `${integer}.${String(fraction % 10 ** decimals).padStart(decimals, '0')}`,
    );

const cpbs = { segment: '14', family: '1411', unit: 'und' };

const item = (government: boolean) =>
  fc
    .record({
      description: fc.constantFrom('Producto de prueba', 'Servicio técnico', 'Café & té <premium>'),
      quantity: decimalString(9999, 0, 6).filter((q) => !dec(q).isZero()),
      unitPrice: decimalString(9_999, 2, 6),
      discountShare: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      itbmsRate: fc.constantFrom('0', '7', '10', '15'),
      isc: fc.option(fc.constantFrom('0.05', '0.06', '0.1325', '0.325', '0.035'), { nil: undefined }),
      oti: fc.option(decimalString(99, 2, 2), { nil: undefined }),
      freight: fc.option(decimalString(999, 2, 2), { nil: undefined }),
      unit: fc.option(fc.constantFrom('und', 'kg', 'm', 'l'), { nil: undefined }),
      gtin: fc.option(fc.constantFrom('0', '12345678', '7501234567890'), { nil: undefined }),
      lot: fc.option(fc.constantFrom('LOTE-0001', 'AB12345'), { nil: undefined }),
    })
    .map(({ discountShare, isc, oti, unitPrice, unit, gtin, lot, ...rest }) => ({
      ...rest,
      ...(unit !== undefined && { unit }),
      ...(gtin !== undefined && { gtin: { code: gtin } }),
      ...(lot !== undefined && { lot: { number: lot, quantity: 12 } }),
      unitPrice,
      // A per-unit discount is a share of the unit price, so it never exceeds it.
      ...(discountShare !== undefined && {
        unitDiscount: dec(unitPrice).times(discountShare).dividedBy(100).toDecimalPlaces(6, 1).toFixed(),
      }),
      ...(isc !== undefined && { isc: { rate: isc } }),
      ...(oti !== undefined && { oti: [{ code: '01' as const, amount: oti }] }),
      ...(government && { cpbs }),
    }));

const documentArbitrary = fc
  .constantFrom(
    'taxpayer',
    'final-consumer',
    'government',
    'foreign',
    'export',
    'credit-note',
    'generic-note',
  )
  .chain((kind) =>
    fc
      .record({
        items: fc.array(item(kind === 'government'), { minLength: 1, maxLength: 8 }),
        discounts: fc.array(
          decimalString(5, 2, 2).filter((d) => !dec(d).isZero()),
          { maxLength: 5 },
        ),
        overpay: decimalString(50, 2, 2),
        method: fc.constantFrom('cash', 'credit', 'credit-card', 'transfer'),
        contingency: fc.boolean(),
        freight: fc.option(decimalString(500, 2, 2), { nil: undefined }),
        insurance: fc.option(decimalString(500, 2, 2), { nil: undefined }),
        cafeFormat: fc.constantFrom('none', 'ticket', 'letter'),
      })
      .map(({ items, discounts, overpay, method, contingency, freight, insurance, cafeFormat }) => {
        const base: DocumentInputRaw = {
          type: 'invoice',
          cafeFormat,
          ...(contingency && {
            emissionType: 'contingency',
            contingency: {
              startedAt: '2026-11-22T08:00:00-05:00',
              reason: 'Sin conexión con el PAC desde las 8:00',
            },
          }),
          ...(freight !== undefined && { freight }),
          ...(insurance !== undefined && { insurance }),
          receiver: { ...taxpayerReceiver },
          items,
          discounts: discounts.map((amount) => ({ description: 'Descuento', amount })),
          payments: [{ method, amount: '0' }],
        };
        switch (kind) {
          case 'final-consumer':
            return { overpay, doc: { ...base, receiver: { type: 'final-consumer' } } };
          case 'government':
            return { overpay, doc: { ...base, receiver: { ...taxpayerReceiver, type: 'government' } } };
          case 'foreign':
            return {
              overpay,
              doc: {
                ...base,
                receiver: {
                  type: 'foreign',
                  foreignId: { type: 'passport', number: 'X99', country: 'Perú' },
                },
              },
            };
          case 'export':
            return {
              overpay,
              doc: {
                ...base,
                type: 'export-invoice',
                export: { incoterm: 'FOB' },
                receiver: { type: 'foreign', foreignId: { type: 'tax-id', number: 'T-1' }, country: 'CR' },
              },
            };
          case 'credit-note':
            return {
              overpay,
              doc: {
                ...base,
                type: 'credit-note',
                references: [{ cufe: REFERENCED_CUFE, issuedAt: '2026-11-01T10:30:00-05:00' }],
              },
            };
          case 'generic-note':
            return { overpay, doc: { ...base, type: 'generic-debit-note' } };
          default:
            return { overpay, doc: base };
        }
      }),
  )
  // Pay the computed total (plus some change) so the payment rule holds; skip discounts above the items.
  .map(({ doc, overpay }) => {
    const total = computeDocument(documentInputSchema.parse(doc), { now: EXAMPLES_NOW }).totals.total;
    const amount = dec(total).plus(overpay);
    return { ...doc, payments: [{ ...(doc.payments[0] as { method: 'cash' }), amount: amount.toFixed(2) }] };
  })
  .filter((doc) => !dec(doc.payments[0]?.amount ?? '0').isNegative());

describe('properties of valid documents', () => {
  it('any generated valid document yields XSD-valid XML and a valid CUFE', () => {
    fc.assert(
      fc.property(documentArbitrary, fc.integer({ min: 1, max: 999_999_999 }), (raw, seg) => {
        // Act
        const result = validate(raw);
        if (!result.ok) throw new Error(JSON.stringify(result.violations));
        const context = { ...demoContext, securityCode: String(seg).padStart(9, '0') };
        const { xml, cufe } = buildRfeXml(result.document, context);

        // Assess
        expect(validateRfeXml(xml)).toEqual({ valid: true });
        expect(checkCufe(cufe)).toEqual({ valid: true });
      }),
      RUNS,
    );
  });

  it('totals are consistent with the items and with each other', () => {
    fc.assert(
      fc.property(documentArbitrary, (raw) => {
        // Act
        const result = validate(raw);
        if (!result.ok) throw new Error(JSON.stringify(result.violations));
        const { items, totals } = result.document;

        // Assess
        for (const i of items) {
          expect(dec(i.itbms).equals(round2(dec(i.price).times(itbmsRates[i.itbmsRate])))).toBe(true);
          const parts = [
            i.price,
            i.freight ?? '0',
            i.insurance ?? '0',
            i.itbms,
            i.isc?.amount ?? '0',
            ...(i.oti ?? []).map((o) => o.amount),
          ];
          expect(sum(parts.map(dec)).equals(dec(i.total))).toBe(true);
        }
        expect(dec(totals.net).equals(sum(items.map((i) => dec(i.price))))).toBe(true);
        expect(dec(totals.itemsTotal).equals(sum(items.map((i) => dec(i.total))))).toBe(true);
        const otis = sum(totals.oti.map((o) => dec(o.amount)));
        expect(
          dec(totals.taxes).equals(
            dec(totals.itbms)
              .plus(totals.isc ?? '0')
              .plus(otis),
          ),
        ).toBe(true);
        const expectedTotal = dec(totals.itemsTotal)
          .plus(totals.freight ?? '0')
          .plus(totals.insurance ?? '0')
          .minus(totals.discount ?? '0');
        expect(dec(totals.total).equals(expectedTotal)).toBe(true);
        expect(dec(totals.received).greaterThanOrEqualTo(totals.total)).toBe(true);
        expect(totals.itemCount).toBe(items.length);
        for (const value of [totals.net, totals.itbms, totals.taxes, totals.total, totals.itemsTotal]) {
          expect(value).toMatch(/^[0-9]{1,11}\.[0-9]{2}$/);
        }
      }),
      RUNS,
    );
  });
});

describe('properties of CUFE and DV', () => {
  const cufeFields = fc.record({
    documentType: fc.constantFrom('01', '02', '03', '04', '05', '06', '07', '08', '09', '10'),
    rucType: fc.constantFrom('1', '2') as fc.Arbitrary<'1' | '2'>,
    ruc: fc.constantFrom('155596713-2-2015', '8-274-125', 'E-8-127702', '8-NT-1-24', '8PI-1-80'),
    dv: fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
    branch: fc.stringMatching(/^[A-Za-z0-9]{4}$/),
    date: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10).replaceAll('-', '')),
    number: fc.integer({ min: 1, max: 9_999_999_999 }).map((n) => String(n).padStart(10, '0')),
    pointOfSale: fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0')),
    emissionType: fc.constantFrom('01', '02', '03', '04'),
    environment: fc.constantFrom('1', '2') as fc.Arbitrary<'1' | '2'>,
    securityCode: fc.integer({ min: 1, max: 999_999_999 }).map((n) => String(n).padStart(9, '0')),
  });

  it('every built CUFE checks, and any single changed digit is detected', () => {
    fc.assert(
      fc.property(cufeFields, fc.nat(), fc.integer({ min: 1, max: 9 }), (fields, at, delta) => {
        // Act
        const cufe = buildCufe({ ...fields, branch: fields.branch.toUpperCase() });
        const digitPositions = [...cufe.slice(2, 65)].flatMap((c, i) => (/[0-9]/.test(c) ? [i + 2] : []));
        const position = digitPositions[at % digitPositions.length] as number;
        const changed = `${cufe.slice(0, position)}${(Number(cufe[position]) + delta) % 10}${cufe.slice(position + 1)}`;

        // Assess
        expect(checkCufe(cufe)).toEqual({ valid: true });
        expect(cufeCheckDigit(changed.slice(2, 65))).not.toBe(cufe.at(-1));
      }),
      RUNS,
    );
  });

  it('the DV of any well-formed juridical RUC is two digits and deterministic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 999_999 }),
        (tomo, folio, asiento) => {
          // Act
          const ruc = `${tomo}-${folio}-${asiento}`;
          const dv = computeRucDv(ruc, '2');

          // Assess
          expect(dv).toMatch(/^[0-9]{2}$/);
          expect(computeRucDv(ruc, '2')).toBe(dv);
        },
      ),
      RUNS,
    );
  });
});
