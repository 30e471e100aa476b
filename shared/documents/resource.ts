import type { DocumentEvent, DocumentRecord, Finding } from '#shared/data/documents';
import type { ComputedDocument } from '#shared/fiscal/compute';

/** The document as the API shows it. Internal fields (keys, issuer snapshot, codes) stay inside. */
export type DocumentResource = {
  id: string;
  type: string;
  status: DocumentRecord['status'];
  branch: string;
  pointOfSale: string;
  number: string;
  issuedAt: string;
  receiver: DocumentRecord['receiver'];
  /** The catalogue customer it was issued to, or null when the receiver was given in full. */
  customerId: string | null;
  totals: DocumentRecord['totals'];
  cufe: string | null;
  qr: string | null;
  protocol: string | null;
  authorizedAt: string | null;
  /** While waiting for HKA (WAITING_FOR_HKA, CONTINGENCY): its first wait, next attempt and last error. */
  waitingSince: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  reasons: DocumentRecord['reasons'];
  /** What the pre-flight warned about when the document was accepted (never blocking). */
  warnings: Finding[];
  /** Issued in contingency: the outage's start and when the contingency CAFE was delivered. */
  contingency: { startedAt: string; deliveredAt: string | null } | null;
  links: { self: string; events: string; xml: string; pdf: string };
};

export const documentPath = (id: string) => `/v1/documents/${id}`;

export function toDocumentResource(doc: DocumentRecord): DocumentResource {
  const self = documentPath(doc.documentId);
  return {
    id: doc.documentId,
    type: doc.type,
    status: doc.status,
    branch: doc.branch,
    pointOfSale: doc.pointOfSale,
    number: doc.number,
    issuedAt: doc.issuedAt,
    receiver: doc.receiver,
    customerId: doc.customerId ?? null,
    totals: doc.totals,
    cufe: doc.cufe ?? null,
    qr: doc.qr ?? null,
    protocol: doc.protocol ?? null,
    authorizedAt: doc.authorizedAt ?? null,
    ...waitingOf(doc),
    reasons: doc.reasons ?? [],
    warnings: doc.warnings ?? [],
    contingency: doc.contingency
      ? { startedAt: doc.contingency.startedAt, deliveredAt: doc.contingency.deliveredAt ?? null }
      : null,
    links: { self, events: `${self}/events`, xml: `${self}/xml`, pdf: `${self}/pdf` },
  };
}

/** The wait is shown only while the document waits; a document that reached HKA keeps none of it. */
function waitingOf(
  doc: DocumentRecord,
): Pick<DocumentResource, 'waitingSince' | 'nextAttemptAt' | 'lastError'> {
  const waiting = doc.status === 'WAITING_FOR_HKA' || doc.status === 'CONTINGENCY';
  return {
    waitingSince: waiting ? (doc.waitingSince ?? null) : null,
    nextAttemptAt: waiting ? (doc.nextAttemptAt ?? null) : null,
    lastError: waiting ? (doc.lastError ?? null) : null,
  };
}

/** The totals a document shows (stored on it, returned by the pre-flight). */
export function totalsOf(doc: ComputedDocument): DocumentRecord['totals'] {
  const t = doc.totals;
  return {
    net: t.net,
    itbms: t.itbms,
    isc: t.isc,
    taxes: t.taxes,
    discount: t.discount,
    freight: t.freight,
    insurance: t.insurance,
    total: t.total,
    received: t.received,
    change: t.change,
    itemCount: t.itemCount,
  };
}

export type DocumentEventResource = Omit<DocumentEvent, 'actor'> & { actor?: string };

export function toEventResource(event: DocumentEvent): DocumentEventResource {
  return {
    at: event.at,
    type: event.type,
    status: event.status,
    message: event.message,
    reasons: event.reasons,
    actor: event.actor,
  };
}
