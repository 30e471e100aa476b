import { describe, expect, it } from 'vitest';
import { computeDocument, derivePaymentTerm } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import { twelveItemDocument } from './fixtures/twelve-item-document';
import { invoice } from './support/documents';

const compute = (raw: unknown, now = new Date('2026-11-22T17:00:00Z')) =>
  computeDocument(documentInputSchema.parse(raw), { now });

describe('computeDocument — the real 12-item document of §3.9', () => {
  it('reproduces every item value to the cent', () => {
    // Act
    const doc = compute(twelveItemDocument);

    // Assess
    expect(doc.items.map((i) => [i.price, i.itbms, i.total])).toEqual([
      ['6.79', '0.48', '7.27'],
      ['12.25', '0.86', '13.11'],
      ['11.55', '0.81', '12.36'],
      ['4.12', '0.29', '4.41'],
      ['558.00', '39.06', '602.06'],
      ['21.00', '1.47', '22.47'],
      ['14.25', '1.00', '15.25'],
      ['8.99', '0.63', '9.62'],
      ['7.00', '0.49', '7.49'],
      ['0.75', '0.00', '0.75'],
      ['0.50', '0.00', '0.50'],
      ['0.37', '0.00', '0.37'],
    ]);
    expect(doc.items[4]?.freight).toBe('5.00');
  });

  it('reproduces every total', () => {
    // Act
    const { totals, codes } = compute(twelveItemDocument);

    // Assess
    expect(totals).toEqual({
      net: '645.57',
      itbms: '45.09',
      taxes: '45.09',
      discount: '10.00',
      total: '685.66',
      received: '685.66',
      itemCount: 12,
      itemsTotal: '695.66',
      oti: [],
    });
    expect(codes.iPzPag).toBe('1');
  });
});

describe('computeDocument — formulas', () => {
  it('computes dPrItem = quantity × (unit price − unit discount), rounded half-up', () => {
    // Prepare
    const raw = invoice({
      items: [
        {
          description: 'Tornillo',
          quantity: '3',
          unitPrice: '0.123456',
          unitDiscount: '0.000001',
          itbmsRate: '0',
        },
      ],
      payments: [{ method: 'cash', amount: '1' }],
    });

    // Act
    const [item] = compute(raw).items;

    // Assess: 3 × 0.123455 = 0.370365 → 0.37
    expect(item?.price).toBe('0.37');
    expect(item?.unitPrice).toBe('0.123456');
    expect(item?.unitDiscount).toBe('0.000001');
  });

  it('applies each ITBMS rate code (0, 7, 10, 15 %)', () => {
    // Prepare
    const raw = invoice({
      items: ['0', '7', '10', '15'].map((rate) => ({
        description: `Tasa ${rate}`,
        quantity: '1',
        unitPrice: '10.05',
        itbmsRate: rate,
      })),
      payments: [{ method: 'cash', amount: '100' }],
    });

    // Act
    const doc = compute(raw);

    // Assess
    expect(doc.items.map((i) => [i.itbmsRate, i.itbms])).toEqual([
      ['00', '0.00'],
      ['01', '0.70'],
      ['02', '1.01'],
      ['03', '1.51'],
    ]);
    expect(doc.totals.itbms).toBe('3.22');
  });

  it('adds ISC (from rate or amount) and OTI into the item total and dTotGravado', () => {
    // Prepare
    const raw = invoice({
      items: [
        { description: 'Bebida', quantity: '10', unitPrice: '2.10', itbmsRate: '7', isc: { rate: '0.05' } },
        { description: 'Licor', quantity: '1', unitPrice: '20.00', itbmsRate: '10', isc: { amount: '2.50' } },
        {
          description: 'Telefonía',
          quantity: '1',
          unitPrice: '30.00',
          itbmsRate: '7',
          oti: [
            { code: '01', amount: '0.5' },
            { code: '02', amount: '0.10' },
          ],
        },
      ],
      payments: [{ method: 'cash', amount: '100' }],
    });

    // Act
    const doc = compute(raw);

    // Assess
    expect(doc.items[0]).toMatchObject({
      price: '21.00',
      itbms: '1.47',
      isc: { rate: '0.05', amount: '1.05' },
      total: '23.52',
    });
    expect(doc.items[1]).toMatchObject({ isc: { amount: '2.50' }, total: '24.50' });
    expect(doc.items[2]).toMatchObject({
      oti: [
        { code: '01', amount: '0.50' },
        { code: '02', amount: '0.10' },
      ],
      total: '32.70',
    });
    expect(doc.totals).toMatchObject({
      itbms: '5.57',
      isc: '3.55',
      taxes: '9.72',
      itemsTotal: '80.72',
      total: '80.72',
    });
    expect(doc.totals.oti).toEqual([
      { code: '01', amount: '0.50' },
      { code: '02', amount: '0.10' },
    ]);
  });

  it('omits dTotISC when no item has ISC', () => {
    // Act
    const doc = compute(invoice());

    // Assess
    expect(doc.totals.isc).toBeUndefined();
    expect(doc.items[0]?.isc).toBeUndefined();
  });

  it('adds document freight and insurance and subtracts global discounts in dVTot', () => {
    // Prepare
    const raw = invoice({
      freight: '12.5',
      insurance: '3',
      discounts: [
        { description: 'Promo', amount: '5' },
        { description: 'Cupón', amount: '2.25' },
      ],
      payments: [{ method: 'cash', amount: '200' }],
    });

    // Act
    const { totals } = compute(raw);

    // Assess: 107.00 + 12.50 + 3.00 − 7.25
    expect(totals).toMatchObject({ freight: '12.50', insurance: '3.00', discount: '7.25', total: '115.25' });
  });

  it('computes dTotRec and dVuelto (change only when positive)', () => {
    // Act
    const paidMore = compute(
      invoice({
        payments: [
          { method: 'cash', amount: '100' },
          { method: 'debit-card', amount: '10' },
        ],
      }),
    );
    const paidExact = compute(invoice());

    // Assess
    expect(paidMore.totals).toMatchObject({ received: '110.00', change: '3.00' });
    expect(paidExact.totals.change).toBeUndefined();
  });

  it('stamps the emission date with now in Panama time when absent', () => {
    // Act
    const doc = compute(invoice({ issuedAt: undefined }), new Date('2026-11-23T03:30:15Z'));

    // Assess: 03:30 UTC is 22:30 of the previous day in Panama
    expect(doc.issuedAt).toBe('2026-11-22T22:30:15-05:00');
  });

  it('rewrites given dates in Panama time with -05:00', () => {
    // Act
    const doc = compute(invoice({ issuedAt: '2026-11-22T15:00:00Z' }));

    // Assess
    expect(doc.issuedAt).toBe('2026-11-22T10:00:00-05:00');
  });

  it('resolves defaults per document type into DGI codes', () => {
    // Act
    const doc = compute(invoice({ type: 'credit-note' }));

    // Assess
    expect(doc.codes).toMatchObject({ iDoc: '04', iNatOp: '11', iDest: '1', iTipoOp: '1', iProGen: '1' });
    expect(doc.codes.iTipoTranVenta).toBeUndefined();
  });
});

describe('derivePaymentTerm', () => {
  it.each([
    [['cash'], 'immediate'],
    [['credit'], 'term'],
    [['credit', 'credit'], 'term'],
    [['credit', 'cash'], 'mixed'],
  ] as const)('%j → %s', (methods, term) => {
    // Act & Assess
    expect(derivePaymentTerm(methods)).toBe(term);
  });
});
