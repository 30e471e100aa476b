/**
 * The ITBMS summary of a month: the figures a tenant copies into the ITBMS return (Form 430), from the
 * AUTHORIZED documents only (cancelled, pending and rejected ones never count). docs/reports.md maps every
 * figure to its line of the form.
 *
 * Sales (invoices, debit notes, free zone, reimbursements) and credit notes are added up apart, each with
 * unsigned amounts, so the credit-note adjustments are their own lines; `net` is sales − credit notes.
 * Incoming operations (import invoices) are no sales: only counted, apart.
 */
import { type Dec, dec } from '#shared/fiscal/amounts';
import type { ItbmsRateCode } from '#shared/fiscal/codes';
import { addFigures, type Figures, money, RATE_PERCENT, zeroFigures } from './figures.ts';
import type { TaxClass } from './ledger.ts';
import type { LedgerDocument } from './month-documents.ts';

const TAXED_RATES = ['01', '02', '03'] as const satisfies readonly ItbmsRateCode[];

export type TaxableLine = { rate: '7' | '10' | '15'; net: string; itbms: string };
export type NetAndItbms = { net: string; itbms: string };

/** One side of the month (sales, or credit notes), unsigned. */
export type SummarySide = {
  documents: number;
  /** Domestic sales at 7, 10 and 15 %: the taxable base and its ITBMS. */
  taxable: TaxableLine[];
  /** Domestic sales at 0 %: exempt (exentas). */
  exempt: string;
  /** Exports and re-exports (every rate; their ITBMS, if any, is in `itbms` too). */
  exports: NetAndItbms;
  /** Sales of foreign source: outside the Panamanian ITBMS. */
  foreignSource: NetAndItbms;
  /** ITBMS of the side, every class and rate. */
  itbms: string;
  isc: string;
  oti: string;
  /** Freight and insurance: not in the return, shown so the side adds up to its documents' totals. */
  charges: string;
  /** Global discounts (subtracted): likewise. */
  discount: string;
  /** Σ `dVTot` of the side's documents. */
  total: string;
};

export type ItbmsSummary = {
  month: string;
  branch: string | null;
  pointOfSale: string | null;
  sales: SummarySide;
  creditNotes: SummarySide;
  /** Sales − credit notes: the month's net figures; `itbms` is the ITBMS payable before credits (débito fiscal). */
  net: Omit<SummarySide, 'documents'>;
  /** Incoming operations (import invoices): not sales, not in the figures above. */
  incoming: { documents: number; total: string };
  /** Documents of the month that are not in the figures: cancelled, still issuing (or FAILED), rejected. */
  excluded: { cancelled: number; pending: number; rejected: number };
};

type ClassFigures = Record<Exclude<TaxClass, 'incoming'>, Figures>;

const emptyClasses = (): ClassFigures => ({
  domestic: zeroFigures(),
  export: zeroFigures(),
  'foreign-source': zeroFigures(),
});

const sumRates = (perRate: Record<ItbmsRateCode, Dec>) =>
  perRate['00'].plus(perRate['01']).plus(perRate['02']).plus(perRate['03']);

function side(classes: ClassFigures, documents: number): SummarySide {
  const all = [classes.domestic, classes.export, classes['foreign-source']];
  const total = (pick: (figures: Figures) => Dec) =>
    money(all.reduce((acc, f) => acc.plus(pick(f)), dec('0')));
  const netAndItbms = (figures: Figures): NetAndItbms => ({
    net: money(sumRates(figures.net)),
    itbms: money(sumRates(figures.itbms)),
  });
  return {
    documents,
    taxable: TAXED_RATES.map((code) => ({
      rate: RATE_PERCENT[code] as TaxableLine['rate'],
      net: money(classes.domestic.net[code]),
      itbms: money(classes.domestic.itbms[code]),
    })),
    exempt: money(classes.domestic.net['00']),
    exports: netAndItbms(classes.export),
    foreignSource: netAndItbms(classes['foreign-source']),
    itbms: total((f) => sumRates(f.itbms)),
    isc: total((f) => f.isc),
    oti: total((f) => f.oti),
    charges: total((f) => f.charges),
    discount: total((f) => f.discount),
    total: total((f) => f.total),
  };
}

function difference(sales: SummarySide, credits: SummarySide): ItbmsSummary['net'] {
  const minus = (a: string, b: string) => money(dec(a).minus(b));
  const pair = (a: NetAndItbms, b: NetAndItbms) => ({
    net: minus(a.net, b.net),
    itbms: minus(a.itbms, b.itbms),
  });
  return {
    taxable: sales.taxable.map((line, i) => ({
      rate: line.rate,
      ...pair(line, credits.taxable[i] as TaxableLine),
    })),
    exempt: minus(sales.exempt, credits.exempt),
    exports: pair(sales.exports, credits.exports),
    foreignSource: pair(sales.foreignSource, credits.foreignSource),
    itbms: minus(sales.itbms, credits.itbms),
    isc: minus(sales.isc, credits.isc),
    oti: minus(sales.oti, credits.oti),
    charges: minus(sales.charges, credits.charges),
    discount: minus(sales.discount, credits.discount),
    total: minus(sales.total, credits.total),
  };
}

export function buildItbmsSummary(
  documents: readonly LedgerDocument[],
  scope: { month: string; branch?: string; pointOfSale?: string },
): ItbmsSummary {
  const sales = emptyClasses();
  const credits = emptyClasses();
  const counts = { sales: 0, credits: 0, incoming: 0, cancelled: 0, pending: 0, rejected: 0 };
  let incomingTotal = dec('0');
  for (const doc of documents) {
    if (doc.status === 'CANCELLED') counts.cancelled++;
    else if (doc.status === 'REJECTED') counts.rejected++;
    else if (doc.status !== 'AUTHORIZED') counts.pending++;
    if (doc.status !== 'AUTHORIZED') continue;
    const { ledger } = doc;
    if (ledger.taxClass === 'incoming') {
      counts.incoming++;
      incomingTotal = incomingTotal.plus(ledger.total);
      continue;
    }
    const into = ledger.sign === 1 ? sales : credits;
    into[ledger.taxClass] = addFigures(into[ledger.taxClass], ledger, 1);
    if (ledger.sign === 1) counts.sales++;
    else counts.credits++;
  }
  const salesSide = side(sales, counts.sales);
  const creditSide = side(credits, counts.credits);
  return {
    month: scope.month,
    branch: scope.branch ?? null,
    pointOfSale: scope.pointOfSale ?? null,
    sales: salesSide,
    creditNotes: creditSide,
    net: difference(salesSide, creditSide),
    incoming: { documents: counts.incoming, total: money(incomingTotal) },
    excluded: { cancelled: counts.cancelled, pending: counts.pending, rejected: counts.rejected },
  };
}
