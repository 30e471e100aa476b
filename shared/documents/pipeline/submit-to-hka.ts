import { documentsRepository } from '#shared/data/documents';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { HkaAuthenticationError, HkaRejectedError } from '#shared/hka/errors';
import { submitWithoutDuplicates } from '#shared/hka/submit';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor, loadComputed, loadDocument, type PipelineState, rfeContextOf } from './common.ts';
import { reasonsFromRejection } from './reasons.ts';

/**
 * hka-integration: sends the structured `documento` with `Enviar`. The attempt is recorded BEFORE the call:
 * if this Lambda dies after HKA received the document, the retry sees the earlier attempt and asks
 * EstadoDocumento first (`submitWithoutDuplicates`), so one document of ours is never two at HKA.
 * HkaTransientError propagates for the state machine's Retry; HkaRejectedError (never retried) leaves its
 * reasons on the document first, because Step Functions' Cause carries only the message.
 */
export async function submitToHka(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const doc = await loadDocument(state);
  if (doc.status === 'AUTHORIZED' && doc.cufe && doc.qr && doc.protocol && doc.authorizedAt) {
    // Re-run after the document was already authorized (e.g. a second execution): nothing to send.
    return {
      ...state,
      authorization: { cufe: doc.cufe, qr: doc.qr, protocol: doc.protocol, authorizedAt: doc.authorizedAt },
    };
  }
  const computed = await loadComputed(doc);
  const documento = toHkaDocumento(computed, rfeContextOf(doc));
  const credentials = await loadHkaCredentials(doc.tenantId, doc.environment);
  const client = hkaClientFor(doc.environment);

  const previousAttempts = doc.submissionAttempts ?? 0;
  const attempt = await documentsRepository.recordSubmissionAttempt(doc.tenantId, doc.documentId, now);
  await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
    at: now.toISOString(),
    type: 'SUBMISSION_ATTEMPT',
    status: doc.status,
    message:
      previousAttempts > 0
        ? `Attempt ${attempt}: reconciling with EstadoDocumento first`
        : `Attempt ${attempt}`,
  });

  try {
    const result = await submitWithoutDuplicates(client, credentials, documento, {
      previousAttemptUnknown: previousAttempts > 0,
    });
    await putObject(
      documentObjectKeys(doc.tenantId, doc.documentId).hkaResponse,
      result.responseXml,
      'application/xml',
    );
    const { cufe, qr, protocol, authorizedAt } = result.authorization;
    return { ...state, authorization: { cufe, qr, protocol, authorizedAt } };
  } catch (error) {
    if (error instanceof HkaRejectedError) {
      await documentsRepository.setFields(doc.tenantId, doc.documentId, {
        reasons: reasonsFromRejection(error),
      });
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
    throw error;
  }
}
