/**
 * Computed amounts must fit their XSD types: item amounts (montoTipo06) ≤ 9 integer digits, totals
 * (montoTipo01) ≤ 11. Inputs can fit while products (quantity × price + taxes) overflow.
 */
import { digitCounts } from '../amounts';
import type { Violation } from '../violations';
import { type ComputedRule, violation } from './types';

const tooLarge = (value: string | undefined, maxInteger: number) =>
  value !== undefined && digitCounts(value).integer > maxInteger;

export const magnitudesRule: ComputedRule = (document) => {
  const out: Violation[] = [];
  document.items.forEach((item, index) => {
    const amounts: [string, string | undefined][] = [
      ['price', item.price],
      ['itbms', item.itbms],
      ['isc', item.isc?.amount],
      ['total', item.total],
    ];
    for (const [name, value] of amounts) {
      if (tooLarge(value, 9)) {
        out.push(
          violation(
            `items[${index}]`,
            `computed ${name} ${value} exceeds 9 integer digits allowed by the DGI`,
            'AMOUNT_TOO_LARGE',
          ),
        );
      }
    }
  });
  const totals = document.totals;
  for (const [name, value] of Object.entries({
    net: totals.net,
    taxes: totals.taxes,
    total: totals.total,
    itemsTotal: totals.itemsTotal,
    received: totals.received,
  })) {
    if (tooLarge(value, 11)) {
      out.push(
        violation(
          'items',
          `computed ${name} ${value} exceeds 11 integer digits allowed by the DGI`,
          'AMOUNT_TOO_LARGE',
        ),
      );
    }
  }
  return out;
};
