/**
 * Every event factu puts on its EventBridge bus, declared once: its name (the EventBridge detail-type), the
 * source it travels under, and whether tenants can subscribe to it with a webhook. Publishers, the EventBridge
 * rules (infra), the webhook fan-out, the alert e-mails, the OpenAPI enum of webhook events and the docs all
 * read this table. Every detail carries `tenantId` first (shared/events/bus.ts).
 */
export const EVENT_CATALOG = {
  /** HKA authorized the document and it is archived. Detail: documentId, authorization, artifacts, hasRecipients. */
  'document.authorized': { source: 'factu.documents', webhook: true },
  /** HKA/DGI refused the document; its folio went back. Detail: documentId, reasons. */
  'document.rejected': { source: 'factu.documents', webhook: true },
  /** The document ended FAILED (HKA does not hold it; its folio went back). Detail: documentId, error. */
  'document.failed': { source: 'factu.documents', webhook: true },
  /** The document was cancelled (anulación) at HKA. Detail: documentId, reason. */
  'document.cancelled': { source: 'factu.documents', webhook: true },
  /** HKA did not answer: the document waits durably (first time only). Detail: documentId, nextAttemptAt, lastError. */
  'document.waiting': { source: 'factu.documents', webhook: true },
  /**
   * The document was issued in contingency (tipoEmision 02): signed locally, its CAFE delivered, to be sent
   * to HKA when it answers. Detail: documentId, contingencyStartedAt.
   */
  'document.contingency': { source: 'factu.documents', webhook: true },
  /** The tenant's available folios fell under its threshold. Detail: available, threshold, cycle. */
  'folios.low': { source: 'factu.folios', webhook: true },
  /** A signing certificate expires within 30, 7 or 1 days. Detail: certificateId, notAfter, daysLeft. */
  'certificate.expiring': { source: 'factu.certificates', webhook: true },
  /**
   * Every row of a batch reached a final state; published once per batch (shared/batches/completion.ts).
   * Detail: batchId, status, total, counts, finishedAt.
   */
  'batch.completed': { source: 'factu.batches', webhook: true },
  /**
   * The tenant's documents have waited for HKA for more than an hour (alerts). Detail: environment, since,
   * oldestDocumentId, waiting (how many of its documents wait to be sent).
   */
  'hka.waiting-long': { source: 'factu.hka', webhook: false },
  /** HKA refused the tenant's stored credentials while issuing or syncing (alerts). Detail: environment, message. */
  'hka.credentials-failing': { source: 'factu.hka', webhook: false },
  /** The tenant started issuing in contingency (alerts). Detail: environment, startedAt. */
  'contingency.started': { source: 'factu.hka', webhook: false },
  /** Every contingency document of the tenant reached HKA (alerts). Detail: environment, startedAt, endedAt, documents. */
  'contingency.ended': { source: 'factu.hka', webhook: false },
  /** An endpoint was disabled after repeated failed deliveries (alerts). Detail: webhookId, url, failures. */
  'webhook.disabled': { source: 'factu.webhooks', webhook: false },
} as const satisfies Record<string, { source: string; webhook: boolean }>;

export type FactuEventType = keyof typeof EVENT_CATALOG;

/** The events a webhook endpoint can subscribe to (`POST /v1/webhooks {events}`), in catalogue order. */
export const WEBHOOK_EVENT_TYPES = (Object.keys(EVENT_CATALOG) as FactuEventType[]).filter(
  (type) => EVENT_CATALOG[type].webhook,
);
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The distinct sources, for EventBridge rules that take every event of the catalogue. */
export const EVENT_SOURCE_NAMES = [...new Set(Object.values(EVENT_CATALOG).map((entry) => entry.source))];
