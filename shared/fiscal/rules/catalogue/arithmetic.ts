/**
 * HKA's arithmetic reading (brief §3.9, §8.4, §9.6): declared amounts as exact decimals, the DGI's half-up
 * rounding to 2 decimals for every sum, and the cross-check tolerance of 0.01 (DGI 2503/2507, unconfirmed:
 * the looser reading, so a rule never refuses what is within a cent). A declared amount that is absent or
 * not a number counts as 0 here; its presence and format are other rules'.
 */
import { Dec, round2, sum } from '../../amounts';
import type { FiscalView } from '../../view/fiscal-view';
import { invalid } from './messages';

export const TOLERANCE = new Dec('0.01');

/** `dTasaITBMS`: 00 exonerado, 01 7 %, 02 10 %, 03 15 %. */
export const ITBMS_RATES: Readonly<Record<string, string>> = {
  '00': '0',
  '01': '0.07',
  '02': '0.10',
  '03': '0.15',
};

/** Decimals are immutable: one zero serves every absent amount. */
const ZERO = new Dec(0);

export function amount(text: string | undefined): Dec {
  if (text === undefined) return ZERO;
  try {
    return new Dec(text);
  } catch {
    return ZERO;
  }
}

export const differs = (declared: Dec, expected: Dec) => declared.minus(expected).abs().gt(TOLERANCE);

/** HKA's message for a declared amount that is not the computed one. */
export const mismatch = (field: string, declared: string, expected: string) =>
  invalid(field, `Valor informado ${declared}, valor calculado ${expected}.`);

type Item = NonNullable<FiscalView['items']>[number];

type Line = {
  cantidad: Dec;
  precioUnitario: Dec;
  precioUnitarioDescuento: Dec;
  precioItem: Dec;
  precioAcarreo: Dec;
  precioSeguro: Dec;
  itbms: Dec;
  isc: Dec;
  oti: Dec;
  valorTotal: Dec;
};

/** Each item's amounts are parsed once for all the rules that read them. */
const linesOfItems = new WeakMap<Item, Line>();

/** The declared amounts of an item as decimals, its OTI summed. */
export function lineOf(item: Item): Line {
  let line = linesOfItems.get(item);
  if (!line) {
    line = {
      cantidad: amount(item.cantidad),
      precioUnitario: amount(item.precioUnitario),
      precioUnitarioDescuento: amount(item.precioUnitarioDescuento),
      precioItem: amount(item.precioItem),
      precioAcarreo: amount(item.precioAcarreo),
      precioSeguro: amount(item.precioSeguro),
      itbms: amount(item.valorITBMS),
      isc: amount(item.valorISC),
      oti: item.otis?.length ? sum(item.otis.map((oti) => amount(oti.valorTasa))) : ZERO,
      valorTotal: amount(item.valorTotal),
    };
    linesOfItems.set(item, line);
  }
  return line;
}

type ItemSums = {
  totales: NonNullable<FiscalView['totales']>;
  neto: Dec;
  itbms: Dec;
  isc: Dec;
  oti: Dec;
  todosItems: Dec;
  count: number;
};

/** Several rules read the sums of one view: a 1,000-item document is summed once, not once per rule. */
const sumsOfView = new WeakMap<FiscalView, ItemSums | undefined>();

/**
 * The sums of the items' declared amounts, each rounded half-up to 2 decimals; undefined without totals or
 * items (their absence is reported as such).
 */
export function itemSums(view: FiscalView): ItemSums | undefined {
  if (sumsOfView.has(view)) return sumsOfView.get(view);
  const { items = [], totales } = view;
  let sums: ItemSums | undefined;
  if (totales && items.length > 0) {
    const lines = items.map(lineOf);
    const total = (pick: (line: Line) => Dec) => round2(sum(lines.map(pick)));
    sums = {
      totales,
      neto: total((l) => l.precioItem),
      itbms: total((l) => l.itbms),
      isc: total((l) => l.isc),
      oti: total((l) => l.oti),
      todosItems: total((l) => l.valorTotal),
      count: items.length,
    };
  }
  sumsOfView.set(view, sums);
  return sums;
}

/** `totalFactura` as HKA computes it: items total + freight + insurance − Σ global discounts. */
export function invoiceTotal(view: FiscalView): Dec | undefined {
  const sums = itemSums(view);
  if (!sums) return undefined;
  const { totales } = sums;
  return sums.todosItems
    .plus(amount(totales.totalAcarreoCobrado))
    .plus(amount(totales.valorSeguroCobrado))
    .minus(discountSum(totales));
}

export const discountSum = (totales: NonNullable<FiscalView['totales']>) =>
  round2(sum(totales.descuentos.map((d) => amount(d.montoDescuento))));

export const receivedSum = ({ formasPago = [] }: FiscalView) =>
  round2(sum(formasPago.map((p) => amount(p.valorCuotaPagada))));
