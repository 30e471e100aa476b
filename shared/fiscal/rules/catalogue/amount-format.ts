/**
 * The formats of the computed amounts (brief §3.7, §9.6): an item's amounts at most 9 integer digits and
 * 6 decimals (montoTipo06), every total at most 11 integer digits and exactly 2 decimals (montoTipo01).
 * Inputs can fit while their products (quantity × price + taxes) overflow. The sign is `amounts.unsigned`'s:
 * our model reaches a negative amount only through a discount above what it discounts, which its own
 * rules name at the discount.
 */
import { TOTAL_AMOUNT_FIELDS, type Totales } from '../../view/fiscal-view';
import type { HkaField } from '../../view/paths';
import { invalid } from './messages';
import { type Finding, rule } from './types';

const ITEM_AMOUNT = /^\d{1,9}(\.\d{1,6})?$/;
const TOTAL_AMOUNT = /^\d{1,11}\.\d{2}$/;

const ITEM_FIELDS = ['precioItem', 'valorITBMS', 'valorISC', 'valorTotal'] as const;
const TOTAL_FIELDS = TOTAL_AMOUNT_FIELDS satisfies readonly (keyof Totales & HkaField)[];

const unsigned = (text: string) => text.replace(/^-/, '');

export const amountFormatRule = rule({
  id: 'amounts.format',
  severity: 'error',
  source: { kind: 'dgi-xsd', section: 'brief §3.7, §9.6' },
  confidence: 'confirmed',
  hkaField: 'valorTotal',
  appliesTo: 'both',
  reads: 'amounts',
  hint: 'The amounts are too large for the DGI format (9 integer digits per item, 11 per total): split the document.',
  check: ({ items = [], totales }): Finding[] => [
    ...items.flatMap((item, index) =>
      ITEM_FIELDS.flatMap((field): Finding[] => {
        const text = item[field];
        return text === undefined || ITEM_AMOUNT.test(unsigned(text))
          ? []
          : [
              {
                field,
                index,
                message: invalid(field, 'Formato numérico inválido.'),
                detail: `${text}: hasta 9 enteros y 6 decimales.`,
              },
            ];
      }),
    ),
    ...TOTAL_FIELDS.flatMap((field): Finding[] => {
      const text = totales?.[field];
      return text === undefined || TOTAL_AMOUNT.test(unsigned(text))
        ? []
        : [
            {
              field,
              message: invalid(field, 'Debe tener 2 decimales.'),
              detail: `${text}: hasta 11 enteros y 2 decimales.`,
            },
          ];
    }),
  ],
});

export const unsignedAmountsRule = rule({
  id: 'amounts.unsigned',
  severity: 'error',
  source: { kind: 'dgi-xsd', section: 'brief §3.7' },
  confidence: 'confirmed',
  hkaField: 'precioItem',
  appliesTo: 'documento',
  reads: 'amounts',
  hint: 'Amounts are never negative: a discount cannot exceed what it discounts.',
  check: ({ items = [], totales }): Finding[] => [
    ...items.flatMap((item, index) =>
      ITEM_FIELDS.flatMap((field): Finding[] =>
        item[field]?.startsWith('-')
          ? [{ field, index, message: invalid(field, 'Formato numérico inválido.') }]
          : [],
      ),
    ),
    ...TOTAL_FIELDS.flatMap((field): Finding[] =>
      totales?.[field]?.startsWith('-')
        ? [{ field, message: invalid(field, 'Debe tener 2 decimales.') }]
        : [],
    ),
  ],
});
