import { describe, expect, it } from 'vitest';
import { mapErrorDetails, normalizePath, pathOf } from '../../../web/src/api/error-paths';
import { checkDocument } from '../../../web/src/fiscal/live-totals';

const FIELDS = ['receiver.name', 'receiver.location', 'items[0].quantity', 'items[1].unitPrice', 'payments'];

describe("the API's details[].path on a form", () => {
  it('puts each detail at its field, under the deepest declared ancestor, the rest at the top', () => {
    // Prepare
    const details = [
      { path: 'items[0].quantity', message: 'must be positive' },
      { path: 'items.1.unitPrice', message: 'too many decimals' },
      {
        path: 'receiver.location.code',
        message: 'not in the catalogue',
        hint: { es: 'use 8-8-7', en: 'use 8-8-7' },
      },
      { path: 'receiver.dv', message: 'wrong check digit' },
      { path: '', message: 'The body must be a JSON object' },
      { path: 'payments', message: 'do not cover the total', hint: 'add a payment' },
    ];

    // Act
    const mapped = mapErrorDetails(details, FIELDS, 'en');

    // Assess
    expect(mapped.fields).toEqual({
      'items[0].quantity': ['must be positive'],
      'items[1].unitPrice': ['too many decimals'],
      'receiver.location': ['not in the catalogue — use 8-8-7'],
      payments: ['do not cover the total — add a payment'],
    });
    expect(mapped.form).toEqual(['receiver.dv: wrong check digit', 'The body must be a JSON object']);
  });

  it('reads both path spellings alike', () => {
    expect(normalizePath('items.0.quantity')).toBe('items[0].quantity');
    expect(normalizePath('body.receiver.name')).toBe('receiver.name');
    expect(pathOf(['items', 3, 'unitPrice'])).toBe('items[3].unitPrice');
  });
});

describe('live checks in the browser use the API’s schema and arithmetic', () => {
  it('totals a valid document as the API does', () => {
    const check = checkDocument({
      type: 'invoice',
      receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
      items: [
        { description: 'Café americano', unit: 'und', quantity: '2', unitPrice: '1.75', itbmsRate: '7' },
        { description: 'Pan de queso', unit: 'und', quantity: '1', unitPrice: '0.90', itbmsRate: '0' },
      ],
      payments: [{ method: 'cash', amount: '4.65' }],
    });
    expect(check.totals).toMatchObject({ net: '4.40', itbms: '0.25', total: '4.65' });
  });

  it('reports schema problems at the API’s paths, which land on the form', () => {
    const check = checkDocument({
      type: 'invoice',
      receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
      items: [{ description: 'Café', unit: 'und', quantity: '-1', unitPrice: '1.75', itbmsRate: '7' }],
      payments: [{ method: 'cash', amount: '1.00' }],
    });
    expect(check.totals).toBeUndefined();
    expect(mapErrorDetails(check.issues, FIELDS).fields['items[0].quantity']).toHaveLength(1);
  });
});
