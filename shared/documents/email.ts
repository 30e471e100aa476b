import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from '#shared/config/config';
import { type DocumentRecord, documentsRepository } from '#shared/data/documents';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { tracer } from '#shared/observability/tracer';
import { getObjectBytes } from '#shared/storage/s3';

let ses: SESv2Client | undefined;

/** Default configuration so `AWS_ENDPOINT_URL_SESV2` (local mail viewer) applies. */
export function sesClient(): SESv2Client {
  ses ??= tracer.captureAWSv3Client(new SESv2Client({}));
  return ses;
}

/**
 * The detail of `document.authorized` (state machine PublishAuthorized) or `document.contingency`
 * (PublishContingency): which CAFE to send.
 */
export type DocumentAuthorizedDetail = { tenantId: string; documentId: string; contingency?: boolean };

/** Accepts the SQS body as the EventBridge event or as its detail alone (depends on the rule's input). */
export function authorizedDetailOf(body: string): DocumentAuthorizedDetail {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const contingency = parsed['detail-type'] === 'document.contingency';
  const detail = (parsed.detail && typeof parsed.detail === 'object' ? parsed.detail : parsed) as Record<
    string,
    unknown
  >;
  if (typeof detail.tenantId !== 'string' || typeof detail.documentId !== 'string') {
    throw new MalformedMessageError('message has no tenantId/documentId');
  }
  return { tenantId: detail.tenantId, documentId: detail.documentId, ...(contingency && { contingency }) };
}

/** A message that can never be processed; retrying it is pointless (it goes to the DLQ). */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

export type EmailOutcome = { sent: true; to: string[] } | { sent: false; reason: string };

/** A document whose CAFE and rFE are archived: what an e-mail attaches. */
export type MailableDocument = DocumentRecord & { artifacts: NonNullable<DocumentRecord['artifacts']> };

/**
 * Sends the authorized document to the receiver's e-mail addresses (the `document.authorized` consumer). A
 * document without receiver addresses is a normal case (consumer receipts), not an error.
 */
export async function sendDocumentEmail(detail: DocumentAuthorizedDetail): Promise<EmailOutcome> {
  const doc = await documentsRepository.get(detail.tenantId, detail.documentId);
  if (!doc) return { sent: false, reason: 'document not found' };
  if (detail.contingency) return sendContingencyEmail(doc);
  if (doc.status !== 'AUTHORIZED' || !doc.artifacts)
    return { sent: false, reason: `document is ${doc.status}` };
  const to = doc.receiver.emails ?? [];
  if (to.length === 0) return { sent: false, reason: 'receiver has no e-mail address' };
  await mailDocument({ ...doc, artifacts: doc.artifacts }, to);
  return { sent: true, to };
}

/**
 * Mails the document to `to` with the CAFE (PDF) and the rFE (XML) attached, and notes it in its history.
 * SES refusals propagate: a queued message returns to the queue and ends in the DLQ, never silently dropped.
 */
export async function mailDocument(
  doc: MailableDocument,
  to: string[],
  wording: EmailWording = AUTHORIZED_WORDING,
): Promise<void> {
  const [pdf, xml] = await Promise.all([
    getObjectBytes(doc.artifacts.pdfKey),
    getObjectBytes(doc.artifacts.xmlKey),
  ]);
  const label = `${doc.pointOfSale}-${doc.number}`;
  const baseName = `${doc.issuer.ruc}-${doc.typeCode}-${doc.branch}-${label}`;
  const text = [
    `${doc.issuer.name} le envía su documento electrónico ${label}.`,
    ...wording.notice,
    '',
    `Total: B/. ${doc.totals.total}`,
    `CUFE: ${doc.cufe ?? ''}`,
    doc.qr ? `Consulta en la DGI: ${doc.qr}` : '',
    '',
    'Adjuntos: representación impresa (CAFE, PDF) y documento electrónico (XML).',
  ].join('\n');

  await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: config().emailFromAddress,
      Destination: { ToAddresses: to },
      Content: {
        Simple: {
          Subject: { Data: wording.subject(label, doc.issuer.name), Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' } },
          Attachments: [
            {
              FileName: `${baseName}.pdf`,
              RawContent: pdf,
              ContentType: 'application/pdf',
              ContentDisposition: 'ATTACHMENT',
            },
            {
              FileName: `${baseName}.xml`,
              RawContent: xml,
              ContentType: 'application/xml',
              ContentDisposition: 'ATTACHMENT',
            },
          ],
        },
      },
      EmailTags: [{ Name: 'tenant', Value: doc.tenantId }],
    }),
  );
  try {
    await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
      at: new Date().toISOString(),
      type: 'EMAIL_SENT',
      status: doc.status,
      message: `${wording.history} to ${to.length} address(es)`,
    });
  } catch (error) {
    // The mail is out: failing the message now would send it again on redelivery.
    logger.warn('E-mail sent but not recorded in the history', {
      documentId: doc.documentId,
      error: error as Error,
    });
  }
  metrics.addMetric('DocumentEmailSent', MetricUnit.Count, 1);
  logger.info('Document e-mail sent', { documentId: doc.documentId, recipients: to.length });
}

/** What differs between the e-mail of an authorized document and that of a contingency document. */
export type EmailWording = {
  subject(label: string, issuerName: string): string;
  /** Lines after the greeting. */
  notice: string[];
  /** The history entry's message, before "to N address(es)". */
  history: string;
};

const AUTHORIZED_WORDING: EmailWording = {
  subject: (label, issuerName) => `Documento electrónico ${label} de ${issuerName}`,
  notice: [],
  history: 'Sent',
};

const CONTINGENCY_WORDING: EmailWording = {
  subject: (label, issuerName) => `Documento electrónico ${label} de ${issuerName} (emitido en contingencia)`,
  notice: [
    '',
    'Este documento fue emitido en contingencia: el proveedor de autorización (PAC) no respondía.',
    'Está pendiente de autorización de uso ante la DGI y se enviará en cuanto el PAC responda.',
  ],
  history: 'Contingency CAFE sent',
};

/**
 * The contingency e-mail (`document.contingency`): the CAFE with the contingency legend and our signed rFE,
 * as soon as the document is issued in contingency — whatever its status by now (it may already be
 * authorized: the receiver then gets both, as the rules expect a contingency CAFE to be delivered).
 */
async function sendContingencyEmail(doc: DocumentRecord): Promise<EmailOutcome> {
  const cafeKey = doc.contingency?.cafeKey;
  if (!cafeKey || !doc.signedXmlKey) return { sent: false, reason: 'document has no contingency CAFE' };
  const to = doc.receiver.emails ?? [];
  if (to.length === 0) return { sent: false, reason: 'receiver has no e-mail address' };
  await mailDocument(
    { ...doc, artifacts: { pdfKey: cafeKey, xmlKey: doc.signedXmlKey } },
    to,
    CONTINGENCY_WORDING,
  );
  return { sent: true, to };
}
