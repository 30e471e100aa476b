import { type DocumentRecord, documentsRepository, type Reason } from '#shared/data/documents';
import { foliosRepository } from '#shared/data/folios';
import { cufeMismatch, numberTakenError } from '#shared/hka/duplicate';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { authorizationFromEstado } from '#shared/hka/submit';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import { longestRedriveDelay, mayBeAtHka, redriveDelayAfter, scheduleNextAttempt } from '../attempts.ts';
import { datosDocumentoOf, loadDocument, type PipelineState, parseCause } from './common.ts';
import { observingHka } from './hka-availability.ts';
import { reasonsFromRejection } from './reasons.ts';

/** Errors that no later attempt can cure on its own: the document ends FAILED (POST /retry after a fix). */
const FINAL_ERRORS = new Set([
  'DocumentNotFoundError',
  'PipelineStateError',
  'SigningKeyMissingError',
  'HkaAuthenticationError',
  'HkaCredentialsMissingError',
]);

/**
 * Where every failure of an attempt ends (the workflow's Catch). It decides what becomes of the document:
 *
 * - superseded (another execution owns the attempt, or the document moved on): nothing;
 * - authorized by HKA but not archived (a later step failed): the next attempt is scheduled, whatever the error;
 * - rejected by HKA/DGI on submission: REJECTED with the reasons, and the folio given back (HKA consumed none);
 * - a transient failure while attempts remain: the next attempt is scheduled (the document stays
 *   PROCESSING, due for the re-drive sweep);
 * - otherwise the document is about to end FAILED — but never while HKA may hold it: if any submission's
 *   outcome is unknown, EstadoDocumento is asked first; when HKA has the document, its CUFE comes from that
 *   answer and the workflow goes on to archive it (`authorized`) — unless that CUFE is not our document's
 *   (another document under our number): then REJECTED, NUMBER_TAKEN_BY_OTHER_DOCUMENT. When HKA cannot be asked either, the
 *   next attempt is scheduled, however many attempts there were: an unknown outcome never becomes FAILED.
 *   A document that ends FAILED gives its folio back and is published as `document.failed`.
 */
export async function endAttempt(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const cause = parseCause(state.error);
  let doc: DocumentRecord;
  try {
    doc = await loadDocument(state);
  } catch (error) {
    if ((error as Error).name === 'DocumentNotFoundError') return { ...state, outcome: 'settled' };
    throw error;
  }
  if (
    cause.type === 'AttemptSupersededError' ||
    doc.status !== 'PROCESSING' ||
    doc.attempt !== state.attempt
  ) {
    return { ...state, outcome: doc.status === 'PROCESSING' ? 'superseded' : 'settled' };
  }

  if (state.authorization) {
    // HKA authorized it; archiving or marking failed (whatever the error). Never REJECTED or FAILED: the
    // next attempt finds it at HKA.
    return waitForNextAttempt(
      state,
      doc,
      redriveDelayAfter(doc.attempt) ?? longestRedriveDelay(),
      `authorized by HKA, not archived yet: ${cause.type}: ${cause.message}`,
      now,
    );
  }

  if (cause.type === 'DocumentRejectedError') return reject(state, doc, cause.message, now);

  const delay = redriveDelayAfter(doc.attempt);
  if (!FINAL_ERRORS.has(cause.type) && delay !== undefined) {
    return waitForNextAttempt(state, doc, delay, `${cause.type}: ${cause.message}`, now);
  }

  if (mayBeAtHka(doc)) {
    try {
      const credentials = await loadHkaCredentials(doc.tenantId, doc.environment);
      const estado = await observingHka(doc.environment, () =>
        hkaClientFor(doc.environment).estadoDocumento(credentials, datosDocumentoOf(doc)),
      );
      if (estado.found) {
        const mismatch = cufeMismatch(estado.cufe, {
          datos: datosDocumentoOf(doc),
          fechaEmision: doc.issuedAt,
        });
        if (mismatch) {
          const taken = numberTakenError('EstadoDocumento', estado.codigo, doc.number, estado.cufe, mismatch);
          return reject(state, { ...doc, reasons: reasonsFromRejection(taken) }, taken.message, now);
        }
        await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
          at: now.toISOString(),
          type: 'RECONCILED',
          status: doc.status,
          message: `HKA holds the document (EstadoDocumento: ${estado.status}); taking its CUFE from that answer`,
        });
        metrics.addMetric('DocumentReconciled', MetricUnit.Count, 1);
        return { ...state, authorization: authorizationFromEstado(estado, now), outcome: 'authorized' };
      }
    } catch (error) {
      // Only HKA's own answer may end the document FAILED; our side failing (KMS, DynamoDB …) is retried
      // by the workflow, then by the re-drive once the lease passes.
      if (
        !(
          error instanceof HkaTransientError ||
          error instanceof HkaRejectedError ||
          error instanceof HkaAuthenticationError
        )
      ) {
        throw error;
      }
      if (error instanceof HkaTransientError) {
        // HKA cannot say whether it holds the document: FAILED could make the tenant issue it twice.
        return waitForNextAttempt(
          state,
          doc,
          longestRedriveDelay(),
          `${cause.type}: ${cause.message}; EstadoDocumento did not answer either (${error.message})`,
          now,
        );
      }
      // HKA refuses to answer at all (e.g. revoked credentials): nothing will change on its own.
      return fail(
        state,
        doc,
        {
          type: cause.type,
          message: `${cause.message}; HKA could not be asked whether it holds the document (${(error as Error).message}) — POST /retry asks again before sending anything`,
        },
        now,
      );
    }
  }
  return fail(state, doc, cause, now);
}

async function reject(state: PipelineState, doc: DocumentRecord, message: string, now: Date) {
  const reasons: Reason[] = doc.reasons?.length ? doc.reasons : [{ path: '', message }];
  const changed = await settle(doc, 'REJECTED', reasons, message, now);
  if (changed) metrics.addMetric('DocumentRejected', MetricUnit.Count, 1);
  return { ...state, outcome: changed ? ('rejected' as const) : ('superseded' as const) };
}

/**
 * Ends the document in a final state HKA never consumed a folio for (REJECTED, or FAILED when HKA does not
 * hold it): fenced by the attempt, and the folio the document reserved goes back. False when superseded.
 */
async function settle(
  doc: DocumentRecord,
  to: 'REJECTED' | 'FAILED',
  reasons: Reason[],
  message: string,
  now: Date,
): Promise<boolean> {
  const changed = await documentsRepository.transition(doc.tenantId, doc.documentId, {
    from: ['PROCESSING'],
    attempt: doc.attempt,
    to,
    set: { reasons },
    remove: ['attemptOwner', 'leaseUntil'],
    event: { type: to, message, reasons },
    now,
  });
  if (changed && doc.folioDebit) await foliosRepository.credit(doc.tenantId, doc.folioDebit);
  return changed;
}

async function waitForNextAttempt(
  state: PipelineState,
  doc: DocumentRecord,
  delaySeconds: number,
  why: string,
  now: Date,
): Promise<PipelineState> {
  const dueAt = await scheduleNextAttempt(doc, doc.attempt, delaySeconds, now);
  if (!dueAt) return { ...state, outcome: 'superseded' };
  await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
    at: now.toISOString(),
    type: 'ATTEMPT_FAILED',
    status: doc.status,
    message: `Attempt ${doc.attempt} did not finish (${why}); attempt ${doc.attempt + 1} at ${dueAt}`,
  });
  metrics.addMetric('AttemptRescheduled', MetricUnit.Count, 1);
  return { ...state, outcome: 'waiting' };
}

async function fail(
  state: PipelineState,
  doc: DocumentRecord,
  cause: { type: string; message: string },
  now: Date,
): Promise<PipelineState> {
  const reasons: Reason[] =
    cause.type === 'HkaAuthenticationError' && doc.reasons?.length
      ? doc.reasons
      : [{ path: '', message: cause.message, code: cause.type }];
  if (!(await settle(doc, 'FAILED', reasons, cause.message, now))) return { ...state, outcome: 'superseded' };
  metrics.addMetric('DocumentFailed', MetricUnit.Count, 1);
  logger.warn('Document failed', { documentId: doc.documentId, errorType: cause.type });
  return { ...state, outcome: 'failed' };
}
