import { now as clockNow } from '#shared/clock';
import { documentsRepository } from '#shared/data/documents';
import { numberTakenError } from '#shared/hka/duplicate';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { pacReceptionClientFor } from '#shared/tenancy/hka';
import { beginAttempt, recordSubmissionNeverSent } from '../attempts.ts';
import { cufeOfRfe, dgiEnvironment, type PipelineState, PipelineStateError, qrOfRfe } from './common.ts';
import { hkaGate, observingHka, probeOutcome } from './hka-availability.ts';
import { DocumentRejectedError, reasonsFromRejection } from './reasons.ts';

/**
 * emitter-signed: sends our signed rFE to the PAC reception (`rEnviFe`). Re-sending the identical signed
 * document after a lost answer is duplicate-safe by the protocol itself (1002 returns the original
 * authorization, like HKA's 102), and the signed XML is the same bytes on every attempt (stored once by
 * sign-xml). The submission is still counted first, for the history and for the reconciliation before any
 * final FAILED. An open circuit breaker holds the attempt back unless it is the probe (see submit-to-hka).
 * A 1002 whose CUFE is not ours is another document under our number: refused.
 */
export async function submitSigned(state: PipelineState, now: Date = clockNow()): Promise<PipelineState> {
  if (!state.signedXmlKey) throw new PipelineStateError('submit-signed needs signedXmlKey');
  const gate = await hkaGate(state);
  const doc = await beginAttempt(state, { submission: !gate, now });
  if (gate) throw gate;
  const signedXml = await getObjectText(state.signedXmlKey);
  const qr = qrOfRfe(signedXml);
  if (!qr) throw new PipelineStateError('signed rFE has no gNoFirm/dQRCode');
  await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
    at: now.toISOString(),
    type: 'SUBMISSION_ATTEMPT',
    status: doc.status,
    message: `Attempt ${doc.attempt}, submission ${doc.submissionAttempts ?? 1} (PAC reception, signed by the emitter)`,
  });
  try {
    const result = await observingHka(doc.environment, () =>
      pacReceptionClientFor(doc.environment).send(signedXml, { environment: dgiEnvironment(doc) }),
    );
    const cufe = cufeOfRfe(signedXml) ?? '';
    if (result.duplicate && result.cufe !== cufe) {
      // 1002 carries the original's CUFE; ours is exact (our own dSeg), so any other is another document.
      throw numberTakenError(
        'RecepcionFE',
        result.code,
        doc.number,
        result.cufe,
        `CUFE distinto del nuestro ${cufe}`,
      );
    }
    await putObject(
      documentObjectKeys(doc.tenantId, doc.documentId).hkaResponse,
      result.responseXml,
      'application/xml',
    );
    return {
      ...state,
      authorization: {
        cufe: result.cufe,
        qr,
        protocol: result.protocol,
        authorizedAt: result.processedAt ?? now.toISOString(),
      },
    };
  } catch (error) {
    if (error instanceof HkaTransientError && error.outcome === 'not-sent') {
      await recordSubmissionNeverSent(doc);
    } else if (error instanceof HkaRejectedError) {
      await documentsRepository.setFields(doc.tenantId, doc.documentId, {
        reasons: reasonsFromRejection(error),
      });
      throw new DocumentRejectedError(error.message, { cause: error });
    }
    throw probeOutcome(error, state.probe === true);
  }
}
