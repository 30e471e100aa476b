import { now as clockNow } from '#shared/clock';
import { documentsRepository } from '#shared/data/documents';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { submitWithoutDuplicates } from '#shared/hka/submit';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import { beginAttempt, recordSubmissionNeverSent } from '../attempts.ts';
import { loadComputed, type PipelineState, rfeContextOf } from './common.ts';
import { hkaGate, observingHka, probeOutcome } from './hka-availability.ts';
import { DocumentRejectedError, reasonsFromRejection } from './reasons.ts';

/**
 * hka-integration, first step of an attempt: takes ownership of the attempt and sends the structured
 * `documento` with `Enviar`. The submission is counted on the document BEFORE the call: if this Lambda dies
 * after HKA received the document, the next submission sees it and asks EstadoDocumento first
 * (`submitWithoutDuplicates`), so one document of ours is never two at HKA. A failure HKA certainly never
 * received (`not-sent`) is counted too, so a document whose every submission failed that way can end FAILED
 * without asking HKA. While the environment's circuit breaker is open, only the sweep's probe calls HKA: any
other attempt takes ownership without counting a submission and ends waiting (HkaCircuitOpenError); a failed
probe ends its attempt at once (HkaProbeFailedError, no in-attempt retries). HkaTransientError propagates for the workflow's Retry; Enviar's refusal becomes
 * DocumentRejectedError (never retried) after leaving its reasons on the document, because Step Functions'
 * Cause carries only the message. So does finding another document under our number (a 102 or an
 * EstadoDocumento hit whose CUFE is not ours): the document is refused, never authorized with that CUFE.
 */
export async function submitToHka(state: PipelineState, now: Date = clockNow()): Promise<PipelineState> {
  const gate = await hkaGate(state);
  const doc = await beginAttempt(state, { submission: !gate, now });
  if (gate) throw gate;
  const earlierSubmissions = (doc.submissionAttempts ?? 1) - 1;
  // This submission is already counted: an earlier one may have reached HKA when more were counted than failed unsent.
  const reconcileFirst = earlierSubmissions > (doc.notSentAttempts ?? 0);
  const [computed, credentials] = await Promise.all([
    loadComputed(doc),
    loadHkaCredentials(doc.tenantId, doc.environment),
  ]);
  const documento = toHkaDocumento(computed, rfeContextOf(doc));

  await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
    at: now.toISOString(),
    type: 'SUBMISSION_ATTEMPT',
    status: doc.status,
    message: `Attempt ${doc.attempt}, submission ${earlierSubmissions + 1} to HKA${
      reconcileFirst ? ': asking EstadoDocumento first' : ''
    }`,
  });

  try {
    const result = await observingHka(doc.environment, () =>
      submitWithoutDuplicates(hkaClientFor(doc.environment), credentials, documento, {
        previousAttemptUnknown: reconcileFirst,
        now,
      }),
    );
    await putObject(
      documentObjectKeys(doc.tenantId, doc.documentId).hkaResponse,
      result.responseXml,
      'application/xml',
    );
    return { ...state, authorization: result.authorization };
  } catch (error) {
    if (error instanceof HkaTransientError && error.outcome === 'not-sent') {
      await recordSubmissionNeverSent(doc);
    } else if (
      error instanceof HkaRejectedError &&
      (error.operation === 'Enviar' || error.reason === 'number-taken')
    ) {
      await documentsRepository.setFields(doc.tenantId, doc.documentId, {
        reasons: reasonsFromRejection(error),
      });
      throw new DocumentRejectedError(error.message, { cause: error });
    } else if (error instanceof HkaAuthenticationError) {
      await documentsRepository.setFields(doc.tenantId, doc.documentId, {
        reasons: [
          {
            path: '',
            message: 'HKA refused the tenant credentials; update them in the settings',
            code: error.code,
          },
        ],
      });
    }
    throw probeOutcome(error, state.probe === true);
  }
}
