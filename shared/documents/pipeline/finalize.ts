import { now as clockNow } from '#shared/clock';
import { endContingencyIfLast } from '#shared/contingency/settle';
import { type DocumentRecord, documentsRepository, IN_FLIGHT_STATUSES } from '#shared/data/documents';
import { cafeLayoutOf, renderCafePdf, toCafeView } from '#shared/fiscal/cafe-pdf/index';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor, pacReceptionClientFor } from '#shared/tenancy/hka';
import { cafeLogoOf } from '#shared/tenancy/profile-cafe-logo';
import {
  datosDocumentoOf,
  dgiEnvironment,
  loadComputed,
  loadDocument,
  type PipelineState,
  PipelineStateError,
  qrOfRfe,
  rfeContextOf,
} from './common.ts';
import { drainNextOfPointOfSale } from './drain.ts';

/**
 * Archives the authorized rFE and the CAFE under the tenant's prefix, then marks the document AUTHORIZED.
 * hka-integration: HKA built and signed the rFE, so its DescargaXML/DescargaPDF are the originals (and the
 * QR of a reconciled authorization is read from that XML). emitter-signed: our signed rFE, already stored
 * where the authorized rFE lives, is the original and we render the CAFE ourselves.
 *
 * A document that had waited for HKA then starts the next waiting one of its point of sale (the drain).
 * The final transition is not fenced by the attempt number: HKA's authorization is the truth for this
 * document whichever attempt learned it. Re-running after the document is AUTHORIZED changes nothing.
 */
export async function finalizeDocument(state: PipelineState, now: Date = clockNow()): Promise<PipelineState> {
  if (!state.authorization) throw new PipelineStateError('finalize-document needs authorization');
  const doc = await loadDocument(state);
  if (doc.status === 'AUTHORIZED' && doc.artifacts) return published(state, doc);

  const objects = documentObjectKeys(doc.tenantId, doc.documentId);
  const authorization = { ...state.authorization };
  if (doc.channel === 'emitter-signed') {
    if (!doc.signedXmlKey) throw new PipelineStateError('emitter-signed document has no signed rFE');
    const [computed, signedXml, logo] = await Promise.all([
      loadComputed(doc),
      getObjectText(doc.signedXmlKey),
      cafeLogoOf(doc.tenantId),
    ]);
    authorization.qr ??= qrOfRfe(signedXml);
    if (!authorization.protocol) {
      // Found by EstadoDocumento, which does not report the protocol the CAFE must print: the reception
      // answers a re-sent identical rFE with the original authorization and creates nothing.
      const original = await pacReceptionClientFor(doc.environment).send(signedXml, {
        environment: dgiEnvironment(doc),
      });
      authorization.protocol = original.protocol;
    }
    const { qr, protocol } = authorization;
    if (!qr || !protocol)
      throw new PipelineStateError('emitter-signed authorization lacks its QR or protocol');
    const pdf = await renderCafePdf(
      {
        ...toCafeView(computed, rfeContextOf(doc), { ...authorization, qr, protocol }),
        ...(logo ? { logo } : {}),
      },
      // The tenant's layout was resolved into the document at acceptance, as HKA's formatoCAFE was.
      { layout: cafeLayoutOf(computed) },
    );
    await putObject(objects.pdf, pdf, 'application/pdf');
  } else {
    const credentials = await loadHkaCredentials(doc.tenantId, doc.environment);
    const client = hkaClientFor(doc.environment);
    const datos = datosDocumentoOf(doc);
    const [xml, pdf] = await Promise.all([
      client.descargaXml(credentials, datos),
      client.descargaPdf(credentials, datos),
    ]);
    authorization.qr ??= qrOfRfe(xml.content.toString('utf8'));
    await Promise.all([
      putObject(objects.authorizedXml, xml.content, 'application/xml'),
      putObject(objects.pdf, pdf.content, 'application/pdf'),
    ]);
  }

  const artifacts = { xmlKey: objects.authorizedXml, pdfKey: objects.pdf };
  const changed = await documentsRepository.transition(doc.tenantId, doc.documentId, {
    from: [...IN_FLIGHT_STATUSES, 'FAILED'],
    to: 'AUTHORIZED',
    set: { ...authorization, artifacts, reasons: [] },
    remove: ['attemptOwner', 'leaseUntil', 'nextAttemptAt'],
    event: {
      type: 'AUTHORIZED',
      message: authorization.protocol
        ? `Authorized, protocol ${authorization.protocol}`
        : 'Authorized (found at HKA by EstadoDocumento; HKA does not report the protocol there)',
    },
    now,
  });
  const final = await loadDocument(state);
  if (!changed && final.status !== 'AUTHORIZED') {
    throw new PipelineStateError(`document ${doc.documentId} is ${final.status}, cannot become AUTHORIZED`);
  }
  if (changed) metrics.addMetric('DocumentAuthorized', MetricUnit.Count, 1);
  // A document that waited for HKA (or was issued in contingency) hands over to the next one of its point of
  // sale (the ordered drain).
  if (changed && (doc.waitingSince || doc.contingency)) await drainNextOfPointOfSale(doc, now);
  if (changed && doc.contingency) await endContingencyIfLast(doc, now);
  return published(state, final);
}

/** The state PublishAuthorized reads: the stored authorization and whether there is anyone to e-mail. */
function published(state: PipelineState, doc: DocumentRecord): PipelineState {
  return {
    ...state,
    authorization: {
      cufe: doc.cufe ?? state.authorization!.cufe,
      ...(doc.qr ? { qr: doc.qr } : {}),
      ...(doc.protocol ? { protocol: doc.protocol } : {}),
      authorizedAt: doc.authorizedAt ?? state.authorization!.authorizedAt,
    },
    artifacts: doc.artifacts,
    hasRecipients: (doc.receiver.emails?.length ?? 0) > 0,
    outcome: 'authorized',
  };
}
