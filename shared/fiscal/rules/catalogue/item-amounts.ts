/**
 * An item's computed amounts (brief §3.9, §8.4): `precioItem = cantidad × (precioUnitario −
 * precioUnitarioDescuento)`, `valorITBMS = precioItem × tasa`, `valorTotal = precioItem + precioAcarreo +
 * precioSeguro + valorITBMS + valorISC + Σ valorTasa`, each within the 0.01 cross-check tolerance (HKA's own
 * example sends `valorITBMS 86.3884` unrounded, so the unrounded product is the reference).
 */
import { differs, ITBMS_RATES, lineOf, mismatch } from './arithmetic';
import { invalid } from './messages';
import { type Finding, rule } from './types';

const evidence = {
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §3.9, §8.4, §10' },
  confidence: 'likely',
  appliesTo: 'both',
  reads: 'amounts',
} as const;

export const itemPriceRule = rule({
  ...evidence,
  id: 'amounts.item-price',
  hkaField: 'precioItem',
  hint: 'The item price is quantity × (unitPrice − unitDiscount), rounded half-up to 2 decimals.',
  check: ({ items = [] }): Finding[] =>
    items.flatMap((item, index) => {
      if (item.precioItem === undefined) return [];
      const line = lineOf(item);
      const expected = line.cantidad.times(line.precioUnitario.minus(line.precioUnitarioDescuento));
      if (!differs(line.precioItem, expected)) return [];
      const why = `Valor informado ${item.precioItem}, cantidad x (precioUnitario - precioUnitarioDescuento) = ${expected.toFixed(6)}.`;
      return [{ index, message: invalid('precioItem', why) }];
    }),
});

export const itemItbmsRule = rule({
  ...evidence,
  id: 'amounts.item-itbms',
  hkaField: 'valorITBMS',
  hint: 'The item ITBMS is its price × the rate of itbmsRate, rounded half-up to 2 decimals.',
  check: ({ items = [] }): Finding[] =>
    items.flatMap((item, index) => {
      const rate = item.tasaITBMS === undefined ? undefined : ITBMS_RATES[item.tasaITBMS];
      if (rate === undefined || item.valorITBMS === undefined) return [];
      const line = lineOf(item);
      const expected = line.precioItem.times(rate);
      return differs(line.itbms, expected)
        ? [{ index, message: mismatch('valorITBMS', item.valorITBMS, expected.toFixed(6)) }]
        : [];
    }),
});

export const itemTotalRule = rule({
  ...evidence,
  id: 'amounts.item-total',
  hkaField: 'valorTotal',
  hint: 'The item total is its price + freight + insurance + ITBMS + ISC + OTI.',
  check: ({ items = [] }): Finding[] =>
    items.flatMap((item, index) => {
      if (item.valorTotal === undefined) return [];
      const line = lineOf(item);
      const expected = line.precioItem
        .plus(line.precioAcarreo)
        .plus(line.precioSeguro)
        .plus(line.itbms)
        .plus(line.isc)
        .plus(line.oti);
      return differs(line.valorTotal, expected)
        ? [{ index, message: mismatch('valorTotal', item.valorTotal, expected.toFixed(6)) }]
        : [];
    }),
});
