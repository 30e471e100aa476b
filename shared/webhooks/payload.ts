import { randomUUID } from 'node:crypto';
import { documentsRepository } from '#shared/data/documents';
import type { EVENT_CATALOG, FactuEventType, WebhookEventType } from '#shared/events/catalog';

/** The body every delivery POSTs (and signs): `test` only on test events. */
export type WebhookEventBody = {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  test?: true;
  data: Record<string, unknown>;
};

/** What a document event says about its document: the public summary, read when the event is fanned out. */
export type DocumentSummary = {
  id: string;
  status: string;
  type: string;
  number: string;
  branch: string;
  pointOfSale: string;
  cufe: string | null;
  total: string;
  authorizedAt: string | null;
  reasons: unknown[];
};

/** Detail fields that are internal plumbing (routing, archive keys), never sent to a receiver. */
const INTERNAL_DETAIL = new Set(['tenantId', 'documentId', 'authorization', 'artifacts', 'hasRecipients']);

/**
 * The event's `data`: for document events the document's summary plus the detail's own facts (the failure's
 * error, the cancellation's reason, the next attempt time); for the others the detail without the tenant.
 */
export async function eventData(
  tenantId: string,
  type: WebhookEventType,
  detail: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const facts = Object.fromEntries(Object.entries(detail).filter(([name]) => !INTERNAL_DETAIL.has(name)));
  if (!type.startsWith('document.')) return facts;
  const documentId = typeof detail.documentId === 'string' ? detail.documentId : undefined;
  const doc = documentId ? await documentsRepository.get(tenantId, documentId) : undefined;
  if (!doc) return { ...facts, id: documentId ?? null };
  const summary: DocumentSummary = {
    id: doc.documentId,
    status: doc.status,
    type: doc.type,
    number: doc.number,
    branch: doc.branch,
    pointOfSale: doc.pointOfSale,
    cufe: doc.cufe ?? null,
    total: doc.totals.total,
    authorizedAt: doc.authorizedAt ?? null,
    reasons: doc.reasons ?? [],
  };
  return { ...facts, ...summary };
}

const sampleDocument = (status: string): DocumentSummary => ({
  id: '01KBX4C7H2J9Q5W8E3R6T1Y0UA',
  status,
  type: 'invoice',
  number: '0000000412',
  branch: '0000',
  pointOfSale: '001',
  cufe: status === 'AUTHORIZED' || status === 'CANCELLED' ? 'FE0120000155596713-2-2015-0000000412' : null,
  total: '112.35',
  authorizedAt: status === 'AUTHORIZED' || status === 'CANCELLED' ? '2026-12-06T15:20:04.118Z' : null,
  reasons: [],
});

/** The catalogue's webhook events, as a type (the catalogue's list is built at run time). */
type SubscribableEvent = {
  [K in FactuEventType]: (typeof EVENT_CATALOG)[K]['webhook'] extends true ? K : never;
}[FactuEventType];

/** What a test event carries: a plausible `data` of each type (never a real document of the tenant). */
const SAMPLE_DATA: Record<SubscribableEvent, () => Record<string, unknown>> = {
  'document.authorized': () => sampleDocument('AUTHORIZED'),
  'document.rejected': () => ({
    ...sampleDocument('REJECTED'),
    reasons: [
      { path: 'receiver.ruc', message: 'El RUC del receptor no está inscrito', code: 'RUC_NOT_REGISTERED' },
    ],
  }),
  'document.failed': () => ({ ...sampleDocument('FAILED'), error: 'HKA did not answer for 72 hours' }),
  'document.cancelled': () => ({ ...sampleDocument('CANCELLED'), reason: 'Factura emitida por error' }),
  'document.waiting': () => ({
    ...sampleDocument('WAITING_FOR_HKA'),
    nextAttemptAt: '2026-12-06T15:30:00.000Z',
    lastError: 'HKA timed out',
  }),
  'document.contingency': () => ({
    ...sampleDocument('CONTINGENCY'),
    contingencyStartedAt: '2026-12-06T15:00:00.000Z',
  }),
  'folios.low': () => ({ available: 42, threshold: 100, cycle: 3 }),
  'certificate.expiring': () => ({
    certificateId: 'signing',
    notAfter: '2027-01-05T00:00:00.000Z',
    daysLeft: 30,
  }),
  'batch.completed': () => ({
    batchId: '01KBX7Q2M4T8V1C6N3R9W5Y0ZB',
    status: 'DONE',
    total: 10,
    counts: { valid: 10, invalid: 0, issued: 10, failed: 0, skipped: 0 },
    finishedAt: '2026-12-06T15:20:09.530Z',
  }),
};

/** A test event of `type`, with a fresh event id. */
export function testEventBody(type: WebhookEventType, at: Date): WebhookEventBody {
  const sample = SAMPLE_DATA[type as SubscribableEvent] as (() => Record<string, unknown>) | undefined;
  return { id: randomUUID(), type, createdAt: at.toISOString(), test: true, data: sample ? sample() : {} };
}
