import type { DocumentEvent, DocumentRecord } from '#shared/data/documents';

/** The document as the API shows it (issue 5). Internal fields (keys, issuer snapshot, codes) stay inside. */
export type DocumentResource = {
  id: string;
  type: string;
  status: DocumentRecord['status'];
  branch: string;
  pointOfSale: string;
  number: string;
  issuedAt: string;
  receiver: DocumentRecord['receiver'];
  totals: DocumentRecord['totals'];
  cufe: string | null;
  qr: string | null;
  protocol: string | null;
  authorizedAt: string | null;
  reasons: DocumentRecord['reasons'];
  warnings: NonNullable<DocumentRecord['warnings']>;
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
    totals: doc.totals,
    cufe: doc.cufe ?? null,
    qr: doc.qr ?? null,
    protocol: doc.protocol ?? null,
    authorizedAt: doc.authorizedAt ?? null,
    reasons: doc.reasons ?? [],
    warnings: doc.warnings ?? [],
    links: { self, events: `${self}/events`, xml: `${self}/xml`, pdf: `${self}/pdf` },
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
