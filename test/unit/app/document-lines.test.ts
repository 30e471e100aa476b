import { describe, expect, it } from 'vitest';
import { requestItemOf, requestItemsOf } from '#shared/documents/lines';
import { computeDocument } from '#shared/fiscal/compute';
import { type DocumentInputRaw, documentInputSchema, itemSchema } from '#shared/fiscal/model';
import { invoice } from '../fiscal/support/documents';

const now = new Date('2026-11-22T17:00:00Z');
const computeItems = (items: DocumentInputRaw['items']) =>
  computeDocument(
    documentInputSchema.parse(invoice({ items, payments: [{ method: 'credit', amount: '1.00' }] })),
    {
      now,
    },
  );
const parsed = (items: readonly unknown[]) => items.map((item) => itemSchema.parse(item));

const mixedLines: DocumentInputRaw['items'] = [
  {
    description: 'Servicio exento',
    code: 'SRV-0',
    unit: 'und',
    quantity: '3',
    unitPrice: '12.5',
    itbmsRate: '0',
  },
  {
    description: 'Cable de red Cat6',
    code: 'CAB-006',
    unit: 'm',
    quantity: '15.25',
    unitPrice: '0.853333',
    unitDiscount: '0.05',
    itbmsRate: '7',
  },
  { description: 'Licor importado', quantity: 2, unitPrice: 30, itbmsRate: '10', isc: { rate: '0.325' } },
  {
    description: 'Cigarrillos',
    quantity: '1',
    unitPrice: '8.00',
    itbmsRate: '15',
    isc: { amount: '1.25' },
  },
  {
    description: 'Combustible con tasas',
    quantity: '4',
    unitPrice: '3.10',
    itbmsRate: '03',
    oti: [{ code: '01', amount: '0.40' }],
    freight: '2.5',
    insurance: '1',
    gtin: { code: '12345678', inventoryQuantity: '8' },
    info: 'Entregado en planta',
  },
];

describe('requestItemOf — a computed line back in the request shape', () => {
  it('round trips: request items → compute → mapper → the same items (discounts, rates 0/7/10/15, ISC, OTI, GTIN)', () => {
    // Prepare
    const computed = computeItems(mixedLines);

    // Act
    const lines = requestItemsOf(computed.items);

    // Assess
    expect(parsed(lines)).toEqual(parsed(mixedLines));
    expect(computeItems(lines).totals).toEqual(computed.totals);
  });

  it('leaves out what compute derives and keeps the decimals as exact strings', () => {
    // Prepare
    const [line] = computeItems([mixedLines[1] as DocumentInputRaw['items'][number]]).items;

    // Act
    const item = requestItemOf(line as NonNullable<typeof line>);

    // Assess
    expect(item).toEqual({
      description: 'Cable de red Cat6',
      code: 'CAB-006',
      unit: 'm',
      quantity: '15.25',
      unitPrice: '0.853333',
      unitDiscount: '0.05',
      itbmsRate: '01',
    });
  });

  it('keeps an ISC amount that is not the one its rate gives, so the note charges what was charged', () => {
    // Prepare
    const [line] = computeItems([
      {
        description: 'Licor',
        quantity: '1',
        unitPrice: '10',
        itbmsRate: '7',
        isc: { rate: '0.05', amount: '0.70' },
      },
    ]).items;

    // Act
    const item = requestItemOf(line as NonNullable<typeof line>);

    // Assess
    expect(item.isc).toEqual({ rate: '0.05', amount: '0.70' });
  });

  it('gives a GTIN its own quantities only when they differ from their defaults', () => {
    // Prepare
    const [line] = computeItems([
      {
        description: 'Caja de clavos',
        quantity: '2',
        unitPrice: '5',
        itbmsRate: '7',
        gtin: { code: '12345678', quantity: '24', inventoryCode: '87654321' },
      },
    ]).items;

    // Act
    const item = requestItemOf(line as NonNullable<typeof line>);

    // Assess
    expect(item.gtin).toEqual({ code: '12345678', quantity: '24', inventoryCode: '87654321' });
  });
});
