import { tenantContingency } from '#shared/contingency/tenant-contingency';
import { documentsRepository } from '#shared/data/documents';
import { cafeLayoutOf, renderCafePdf, toContingencyCafeView } from '#shared/fiscal/cafe-pdf/index';
import { PROBE_INTERVAL_SECONDS } from '#shared/hka/breaker';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { cafeLogoOf } from '#shared/tenancy/profile-cafe-logo';
import {
  cufeOfRfe,
  loadComputed,
  loadDocument,
  type PipelineState,
  PipelineStateError,
  qrOfRfe,
  rfeContextOf,
} from './common.ts';

/** The document is not this attempt's to issue any more (another attempt or status took it). */
export class ContingencySupersededError extends Error {
  override readonly name = 'ContingencySupersededError';
}

/**
 * emitter-signed, a document accepted in contingency (tipoEmision 02), after SignXml: HKA is not asked.
 * Renders the CAFE from our own signed rFE (its CUFE and QR) with the contingency legend, archives it
 * beside the rFE under a key of its own (Object Lock: the authorized CAFE, rendered later with HKA's
 * protocol, must never have to replace it), then moves the document to CONTINGENCY with a lease in the
 * in-flight index, so the re-drive sweep sends it when HKA answers again. The first such document of an
 * outage announces `contingency.started`; the workflow then publishes `document.contingency` (the
 * receiver's e-mail).
 */
export async function issueInContingency(state: PipelineState, now: Date): Promise<PipelineState> {
  const doc = await loadDocument(state);
  if (!doc.contingency) throw new PipelineStateError('the document was not accepted in contingency');
  if (doc.contingency.deliveredAt) return delivered(state, doc.contingency.startedAt, doc);
  if (!doc.signedXmlKey) throw new PipelineStateError('a contingency document needs its signed rFE');

  const [computed, signedXml, logo] = await Promise.all([
    loadComputed(doc),
    getObjectText(doc.signedXmlKey),
    cafeLogoOf(doc.tenantId),
  ]);
  const cufe = cufeOfRfe(signedXml);
  const qr = qrOfRfe(signedXml);
  if (!cufe || !qr) throw new PipelineStateError('the signed rFE has no CUFE or QR');
  const pdf = await renderCafePdf(
    { ...toContingencyCafeView(computed, rfeContextOf(doc), { cufe, qr }), ...(logo ? { logo } : {}) },
    { layout: cafeLayoutOf(computed) },
  );
  const cafeKey = documentObjectKeys(doc.tenantId, doc.documentId).contingencyPdf;
  await putObject(cafeKey, pdf, 'application/pdf');

  const { startedAt } = doc.contingency;
  await tenantContingency.forgetEarlierOutage(doc.tenantId, startedAt);
  // Due again after one probe interval: by then the breaker may have closed, and the sweep decides.
  const leaseUntil = new Date(now.getTime() + PROBE_INTERVAL_SECONDS * 1000).toISOString();
  const changed = await documentsRepository.transition(doc.tenantId, doc.documentId, {
    // WAITING_FOR_HKA: an earlier attempt of this document ended before it was delivered.
    from: ['PROCESSING', 'WAITING_FOR_HKA'],
    to: 'CONTINGENCY',
    attempt: state.attempt,
    set: {
      cufe,
      qr,
      contingency: { startedAt, deliveredAt: now.toISOString(), cafeKey },
      leaseUntil,
    },
    remove: ['attemptOwner'],
    event: {
      type: 'CONTINGENCY',
      message: `Issued in contingency (HKA unreachable since ${startedAt}); to be sent to HKA when it answers`,
    },
    extraItems: [
      {
        name: 'contingency',
        item: tenantContingency.countDocument(doc.tenantId, { startedAt, environment: doc.environment }),
      },
    ],
    now,
  });
  const current = changed ? undefined : await loadDocument(state);
  if (current && !current.contingency?.deliveredAt) {
    throw new ContingencySupersededError(
      `document ${doc.documentId} is ${current.status}, not this attempt's`,
    );
  }
  if (changed) metrics.addMetric('ContingencyDocumentsIssued', MetricUnit.Count, 1);
  try {
    await tenantContingency.announceStart(doc.tenantId, now);
  } catch (error) {
    // The document is issued and delivered either way; the ADMINs' alert is what is late.
    logger.error('contingency.started could not be published', { error: error as Error });
  }
  return delivered(state, startedAt, current ?? doc);
}

/** The state PublishContingency reads. */
function delivered(
  state: PipelineState,
  startedAt: string,
  doc: { receiver: { emails?: string[] } },
): PipelineState {
  return {
    ...state,
    contingency: { startedAt },
    hasRecipients: (doc.receiver.emails?.length ?? 0) > 0,
  };
}
