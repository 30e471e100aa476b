/**
 * `totalesSubTotales` from the items (brief §3.9, §3.6, §8.4): each total is the half-up sum of the items'
 * declared amounts — `totalPrecioNeto` Σ precioItem, `totalITBMS` Σ valorITBMS, `totalISC` Σ valorISC (only
 * with ISC), `totalMontoGravado` ITBMS + ISC + OTI (the tax total, not the taxable base), `totalTodosItems`
 * Σ valorTotal, `nroItems` the count — and `totalFactura` = totalTodosItems + freight + insurance − Σ
 * global discounts, which the discounts cannot exceed (the XSD's amounts are unsigned).
 */
import type { Dec } from '../../amounts';
import type { FiscalView, Totales } from '../../view/fiscal-view';
import type { HkaField } from '../../view/paths';
import { amount, differs, discountSum, invoiceTotal, itemSums, mismatch } from './arithmetic';
import { forbidden, invalid, required } from './messages';
import { type Finding, rule } from './types';

const evidence = {
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §3.6, §3.9, §8.4, §10' },
  confidence: 'likely',
  appliesTo: 'both',
  reads: 'amounts',
} as const;

type TotalField = keyof Totales & HkaField;

/** A required total that must be the computed value. */
function expect(totales: Totales, field: TotalField, expected: Dec): Finding[] {
  const declared = totales[field];
  if (typeof declared !== 'string') return [{ message: required(field) }];
  return differs(amount(declared), expected)
    ? [{ message: mismatch(field, declared, expected.toFixed(2)) }]
    : [];
}

/** A total rule over the item sums, silent without totals or items. */
const sumRule = (
  id: string,
  hkaField: TotalField,
  hint: string,
  expected: (sums: NonNullable<ReturnType<typeof itemSums>>) => Dec,
) =>
  rule({
    ...evidence,
    id,
    hkaField,
    hint,
    check: (view: FiscalView): Finding[] => {
      const sums = itemSums(view);
      return sums ? expect(sums.totales, hkaField, expected(sums)) : [];
    },
  });

export const netTotalRule = sumRule(
  'totals.net',
  'totalPrecioNeto',
  'The net total is the sum of the item prices.',
  (sums) => sums.neto,
);

export const itbmsTotalRule = sumRule(
  'totals.itbms',
  'totalITBMS',
  'The ITBMS total is the sum of the items’ ITBMS.',
  (sums) => sums.itbms,
);

export const taxesTotalRule = sumRule(
  'totals.taxes',
  'totalMontoGravado',
  'The taxed amount is ITBMS + ISC + OTI of the items (the tax total, not the taxable base).',
  (sums) => sums.itbms.plus(sums.isc).plus(sums.oti),
);

export const itemsTotalRule = sumRule(
  'totals.items-total',
  'totalTodosItems',
  'The items total is the sum of the item totals.',
  (sums) => sums.todosItems,
);

export const invoiceTotalRule = rule({
  ...evidence,
  id: 'totals.invoice-total',
  hkaField: 'totalFactura',
  hint: 'The document total is the items total + freight + insurance − the global discounts.',
  check: (view): Finding[] => {
    const expected = invoiceTotal(view);
    return view.totales && expected ? expect(view.totales, 'totalFactura', expected) : [];
  },
});

export const iscTotalRule = rule({
  ...evidence,
  id: 'totals.isc',
  hkaField: 'totalISC',
  hint: 'The ISC total is the sum of the items’ ISC, and absent when no item carries ISC.',
  check: (view): Finding[] => {
    const sums = itemSums(view);
    if (!sums) return [];
    // A zero total without ISC is isc.total-zero's.
    if (sums.isc.isZero()) {
      const declared = sums.totales.totalISC;
      return declared === undefined || amount(declared).isZero() ? [] : [{ message: forbidden('totalISC') }];
    }
    return expect(sums.totales, 'totalISC', sums.isc);
  },
});

export const itemCountRule = rule({
  ...evidence,
  id: 'totals.item-count',
  hkaField: 'nroItems',
  hint: 'nroItems is the number of items.',
  check: (view): Finding[] => {
    const sums = itemSums(view);
    if (!sums) return [];
    const declared = sums.totales.nroItems;
    if (declared === undefined) return [{ message: required('nroItems') }];
    return declared === String(sums.count)
      ? []
      : [{ message: invalid('nroItems', `Se informaron ${sums.count} ítems.`) }];
  },
});

export const discountTotalRule = rule({
  ...evidence,
  id: 'totals.discount',
  hkaField: 'totalDescuento',
  hint: 'The discount total is the sum of the global discounts.',
  check: ({ totales }): Finding[] => {
    const declared = totales?.totalDescuento;
    if (!totales || declared === undefined) return [];
    const expected = discountSum(totales);
    return differs(amount(declared), expected)
      ? [
          {
            message: invalid(
              'totalDescuento',
              `Valor informado ${declared}, suma de descuentos ${expected.toFixed(2)}.`,
            ),
          },
        ]
      : [];
  },
});

export const discountWithinItemsRule = rule({
  ...evidence,
  id: 'totals.discount-within-items',
  source: { kind: 'dgi-xsd', section: 'brief §3.6, §3.7 (montoTipo01 is unsigned)' },
  confidence: 'confirmed',
  hkaField: 'totalDescuento',
  hint: 'Global discounts cannot exceed the items total plus freight and insurance.',
  check: (view): Finding[] => {
    const total = invoiceTotal(view);
    return total?.isNegative()
      ? [{ message: invalid('totalDescuento', 'Los descuentos exceden el total de los ítems.') }]
      : [];
  },
});
