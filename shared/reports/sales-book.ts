/**
 * The sales book (libro de ventas) of a month: one row per document, signed (credit notes negative), and a
 * totals row over the documents that count. What counts and what is only listed:
 *
 * - AUTHORIZED: listed and totalled;
 * - CANCELLED (anulado): listed, excluded from the totals (the operation did not happen);
 * - PROCESSING / WAITING_FOR_HKA / CONTINGENCY / FAILED: listed, excluded (not authorized yet: the month is
 *   not closed while there are any);
 * - REJECTED: not listed (never a fiscal document; its number is in the numbering audit).
 */
import type { DocumentStatus } from '#shared/data/documents';
import { addFigures, type Figures, money, signedFigures, zeroFigures } from './figures.ts';
import type { LedgerDocument } from './month-documents.ts';

export type SalesBookAmounts = {
  net0: string;
  net7: string;
  net10: string;
  net15: string;
  itbms7: string;
  itbms10: string;
  itbms15: string;
  isc: string;
  oti: string;
  /** Freight and insurance (items and document). */
  charges: string;
  /** Global discounts, subtracted. */
  discount: string;
  total: string;
};

export type SalesBookRow = SalesBookAmounts & {
  documentId: string;
  /** Panama date `YYYY-MM-DD`. */
  date: string;
  issuedAt: string;
  type: string;
  /** DGI `iDoc`. */
  typeCode: string;
  /** `<branch>-<point of sale>-<number>`. */
  series: string;
  branch: string;
  pointOfSale: string;
  number: string;
  receiverRuc: string | null;
  receiverDv: string | null;
  receiverName: string | null;
  cufe: string | null;
  status: DocumentStatus;
  /** Whether the row is in `totals` (AUTHORIZED only). */
  inTotals: boolean;
};

export type SalesBook = {
  month: string;
  branch: string | null;
  pointOfSale: string | null;
  rows: SalesBookRow[];
  totals: SalesBookAmounts;
  counts: { listed: number; totalled: number; cancelled: number; pending: number };
};

const LISTED: ReadonlySet<DocumentStatus> = new Set([
  'AUTHORIZED',
  'CANCELLED',
  'PROCESSING',
  'WAITING_FOR_HKA',
  'CONTINGENCY',
  'FAILED',
]);
/** Listed but not totalled yet: HKA has not authorized them (a contingency document is not authorized either). */
const PENDING: ReadonlySet<DocumentStatus> = new Set([
  'PROCESSING',
  'WAITING_FOR_HKA',
  'CONTINGENCY',
  'FAILED',
]);

export function amountsOf(figures: Figures): SalesBookAmounts {
  return {
    net0: money(figures.net['00']),
    net7: money(figures.net['01']),
    net10: money(figures.net['02']),
    net15: money(figures.net['03']),
    itbms7: money(figures.itbms['01']),
    itbms10: money(figures.itbms['02']),
    itbms15: money(figures.itbms['03']),
    isc: money(figures.isc),
    oti: money(figures.oti),
    charges: money(figures.charges),
    discount: money(figures.discount),
    total: money(figures.total),
  };
}

export function buildSalesBook(
  documents: readonly LedgerDocument[],
  scope: { month: string; branch?: string; pointOfSale?: string },
): SalesBook {
  const listed = documents
    .filter((doc) => LISTED.has(doc.status))
    .sort(
      (a, b) =>
        a.issuedAt.localeCompare(b.issuedAt) ||
        a.branch.localeCompare(b.branch) ||
        a.pointOfSale.localeCompare(b.pointOfSale) ||
        a.number.localeCompare(b.number),
    );
  let totals = zeroFigures();
  const rows = listed.map((doc): SalesBookRow => {
    const inTotals = doc.status === 'AUTHORIZED';
    if (inTotals) totals = addFigures(totals, doc.ledger, doc.ledger.sign);
    return {
      documentId: doc.documentId,
      date: doc.issuedAt.slice(0, 10),
      issuedAt: doc.issuedAt,
      type: doc.type,
      typeCode: doc.typeCode,
      series: `${doc.branch}-${doc.pointOfSale}-${doc.number}`,
      branch: doc.branch,
      pointOfSale: doc.pointOfSale,
      number: doc.number,
      receiverRuc: doc.receiver.ruc ?? null,
      receiverDv: doc.ledger.receiverDv ?? null,
      receiverName: doc.receiver.name ?? null,
      ...amountsOf(signedFigures(doc.ledger)),
      cufe: doc.cufe ?? null,
      status: doc.status,
      inTotals,
    };
  });
  return {
    month: scope.month,
    branch: scope.branch ?? null,
    pointOfSale: scope.pointOfSale ?? null,
    rows,
    totals: amountsOf(totals),
    counts: {
      listed: rows.length,
      totalled: rows.filter((row) => row.inTotals).length,
      cancelled: rows.filter((row) => row.status === 'CANCELLED').length,
      pending: rows.filter((row) => PENDING.has(row.status)).length,
    },
  };
}
