/**
 * The fiscal ledger of one document: what its figures add to a tenant's books, per ITBMS rate, computed once
 * from the computed document at issue and stored on the document record, so a month's reports add stored
 * decimal strings instead of re-reading every document's items.
 *
 * The identity every ledger satisfies (and the reports rely on, to the cent):
 *
 *   total = Σ rates.net + Σ rates.itbms + isc + oti + charges − discount
 *
 * which is `dVTot` of §3.9 regrouped: the items' prices and ITBMS by rate, their ISC and OTI, the freight and
 * insurance (of items and of the document: never taxed by this calculation), less the global discounts.
 */
import { type Dec, dec, formatMoney2, sum } from '#shared/fiscal/amounts';
import type { ItbmsRateCode } from '#shared/fiscal/codes';
import type { ComputedDocument } from '#shared/fiscal/compute';

export const LEDGER_RATE_CODES = ['00', '01', '02', '03'] as const satisfies readonly ItbmsRateCode[];

/**
 * How the document counts in the ITBMS return:
 * - `domestic`: a sale in Panama (invoices, debit/credit notes, free zone, reimbursement); its 0 % net is
 *   the exempt sales, the other rates the taxable sales;
 * - `export`: an export or re-export (operation nature 02/03);
 * - `foreign-source`: a sale of foreign source (type 10, nature 04), outside the Panamanian ITBMS;
 * - `incoming`: an incoming operation (import invoice, nature purchase/import): not a sale.
 */
export const TAX_CLASSES = ['domestic', 'export', 'foreign-source', 'incoming'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

export type LedgerRate = { net: string; itbms: string };

export type DocumentLedger = {
  /** +1 adds to sales (invoices, debit notes); −1 takes from them (credit notes). Amounts are unsigned. */
  sign: 1 | -1;
  taxClass: TaxClass;
  /** Σ `dPrItem` and Σ `dValITBMS` of the items at each rate the document uses (absent rate = zero). */
  rates: Partial<Record<ItbmsRateCode, LedgerRate>>;
  /** `dTotISC` (0.00 without ISC). */
  isc: string;
  /** Σ OTI of every item. */
  oti: string;
  /** Freight and insurance of the items and of the document. */
  charges: string;
  /** `dTotDesc`: global discounts. */
  discount: string;
  /** `dVTot`. */
  total: string;
  /** The receiver's DV as sent (taxpayers and government). */
  receiverDv?: string;
};

const CREDIT_TYPES = new Set(['credit-note', 'generic-credit-note']);
const ZERO = dec('0');
const optional = (value: string | undefined): Dec => (value === undefined ? ZERO : dec(value));

export function taxClassOf(
  doc: Pick<ComputedDocument, 'type' | 'operationNature' | 'operationType'>,
): TaxClass {
  if (doc.operationType === 'incoming' || doc.type === 'import-invoice') return 'incoming';
  if (doc.operationNature === 'export' || doc.operationNature === 're-export') return 'export';
  if (doc.type === 'foreign-invoice' || doc.operationNature === 'foreign-source-sale')
    return 'foreign-source';
  return 'domestic';
}

export function ledgerOf(doc: ComputedDocument): DocumentLedger {
  const byRate = new Map<ItbmsRateCode, { net: Dec; itbms: Dec }>();
  let charges = optional(doc.totals.freight).plus(optional(doc.totals.insurance));
  let oti = ZERO;
  for (const item of doc.items) {
    const rate = byRate.get(item.itbmsRate) ?? { net: ZERO, itbms: ZERO };
    byRate.set(item.itbmsRate, { net: rate.net.plus(item.price), itbms: rate.itbms.plus(item.itbms) });
    charges = charges.plus(optional(item.freight)).plus(optional(item.insurance));
    oti = oti.plus(sum((item.oti ?? []).map((o) => dec(o.amount))));
  }
  const rates: DocumentLedger['rates'] = {};
  for (const code of LEDGER_RATE_CODES) {
    const rate = byRate.get(code);
    if (rate) rates[code] = { net: formatMoney2(rate.net), itbms: formatMoney2(rate.itbms) };
  }
  return {
    sign: CREDIT_TYPES.has(doc.type) ? -1 : 1,
    taxClass: taxClassOf(doc),
    rates,
    isc: formatMoney2(optional(doc.totals.isc)),
    oti: formatMoney2(oti),
    charges: formatMoney2(charges),
    discount: formatMoney2(optional(doc.totals.discount)),
    total: doc.totals.total,
    ...(doc.receiver.dv !== undefined && { receiverDv: doc.receiver.dv }),
  };
}

/** A rate's figures of a ledger, zero when the document has no item at that rate. */
export function rateOf(ledger: DocumentLedger, code: ItbmsRateCode): { net: Dec; itbms: Dec } {
  const rate = ledger.rates[code];
  return rate ? { net: dec(rate.net), itbms: dec(rate.itbms) } : { net: ZERO, itbms: ZERO };
}
