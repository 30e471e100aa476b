/**
 * The numbering audit of one series (branch, point of sale): the numbers handed out, each one's final state,
 * the gaps with their reason, and duplicates (which must never exist: numbers come from one atomic counter
 * and each ends as exactly one claim; see shared/data/series-audit.ts).
 *
 * A number is a gap when it carries no valid fiscal document: its document was REJECTED or ended FAILED
 * (both keep their number: the DGI forbids reusing it), it was voided before any document existed (VOID), or
 * no claim was ever written for it (MISSING). PROCESSING numbers are not gaps yet.
 */
import type { DocumentRecord, DocumentStatus } from '#shared/data/documents';
import { formatDocumentNumber } from '#shared/data/numbering';
import type { StoredClaim } from '#shared/data/series-audit';

export type NumberState = DocumentStatus | 'VOID' | 'MISSING';

export type NumberEntry = {
  number: string;
  state: NumberState;
  documentId: string | null;
  /** Why a gap is one: the rejection's code, the void's reason, `NO_CLAIM`; null for the others. */
  reason: string | null;
};

export type NumberingAudit = {
  branch: string;
  pointOfSale: string;
  /** Every number the series has handed out (numbers never restart): null before the first. */
  allocated: { from: string; to: string } | null;
  /** The numbers this answer details (`from`..`to` of the request, within `allocated`); null when none. */
  window: { from: string; to: string } | null;
  numbers: NumberEntry[];
  gaps: NumberEntry[];
  /** Numbers carried by more than one document, with those documents. Must be empty. */
  duplicates: Array<{ number: string; documentIds: string[] }>;
  counts: Record<NumberState, number>;
};

const GAP_STATES: ReadonlySet<NumberState> = new Set(['REJECTED', 'FAILED', 'VOID', 'MISSING']);

export type AuditInput = {
  branch: string;
  pointOfSale: string;
  /** The series counter (0 when nothing was handed out). */
  lastNumber: number;
  window: { from: number; to: number } | null;
  /** The claims of the window. */
  claims: readonly StoredClaim[];
  /** The documents the window's ISSUED claims name (a document absent here is not found). */
  documents: readonly DocumentRecord[];
};

function reasonOf(doc: DocumentRecord): string {
  const first = doc.reasons?.[0];
  return first?.code ?? first?.message ?? doc.status;
}

export function buildNumberingAudit(input: AuditInput): NumberingAudit {
  const claims = new Map(input.claims.map((claim) => [Number(claim.number), claim]));
  const documents = new Map(input.documents.map((doc) => [doc.documentId, doc]));
  const counts: Record<NumberState, number> = {
    PROCESSING: 0,
    WAITING_FOR_HKA: 0,
    CONTINGENCY: 0,
    AUTHORIZED: 0,
    REJECTED: 0,
    FAILED: 0,
    CANCELLED: 0,
    VOID: 0,
    MISSING: 0,
  };
  const numbers: NumberEntry[] = [];
  const window = input.window;
  for (let value = window?.from ?? 1; window && value <= window.to; value++) {
    const number = formatDocumentNumber(value);
    const claim = claims.get(value);
    let entry: NumberEntry;
    if (!claim) entry = { number, state: 'MISSING', documentId: null, reason: 'NO_CLAIM' };
    else if (claim.status === 'VOID') {
      entry = { number, state: 'VOID', documentId: null, reason: claim.voidReason ?? 'UNKNOWN' };
    } else {
      const doc = documents.get(claim.documentId);
      // A claim whose document cannot be read: the number is taken but shows nothing valid.
      if (!doc)
        entry = { number, state: 'MISSING', documentId: claim.documentId, reason: 'DOCUMENT_NOT_FOUND' };
      else {
        const gap = doc.status === 'REJECTED' || doc.status === 'FAILED';
        entry = { number, state: doc.status, documentId: doc.documentId, reason: gap ? reasonOf(doc) : null };
      }
    }
    counts[entry.state] += 1;
    numbers.push(entry);
  }

  // Each document carries the number of its claim; any document carrying a number another document
  // also carries, or a number other than its claim's, is a duplicate.
  const carriers = new Map<string, Set<string>>();
  const carry = (number: string, documentId: string) =>
    carriers.set(number, (carriers.get(number) ?? new Set()).add(documentId));
  for (const claim of input.claims) if (claim.status === 'ISSUED') carry(claim.number, claim.documentId);
  for (const doc of input.documents) {
    if (doc.branch === input.branch && doc.pointOfSale === input.pointOfSale)
      carry(doc.number, doc.documentId);
  }
  const duplicates = [...carriers]
    .filter(([, ids]) => ids.size > 1)
    .map(([number, ids]) => ({ number, documentIds: [...ids].sort() }))
    .sort((a, b) => a.number.localeCompare(b.number));

  return {
    branch: input.branch,
    pointOfSale: input.pointOfSale,
    allocated:
      input.lastNumber > 0
        ? { from: formatDocumentNumber(1), to: formatDocumentNumber(input.lastNumber) }
        : null,
    window: window ? { from: formatDocumentNumber(window.from), to: formatDocumentNumber(window.to) } : null,
    numbers,
    gaps: numbers.filter((entry) => GAP_STATES.has(entry.state)),
    duplicates,
    counts,
  };
}
