import { now as clockNow } from '#shared/clock';
import { endContingencyIfLast } from '#shared/contingency/settle';
import {
  type DocumentRecord,
  documentsRepository,
  IN_FLIGHT_STATUSES,
  isInFlight,
  type Reason,
} from '#shared/data/documents';
import { foliosRepository } from '#shared/data/folios';
import { publishEvent } from '#shared/events/bus';
import { hkaBreaker } from '#shared/hka/breaker';
import { cufeMismatch, numberTakenError } from '#shared/hka/duplicate';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { authorizationFromEstado } from '#shared/hka/submit';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import {
  longestRedriveDelay,
  mayBeAtHka,
  redriveDelayAfter,
  scheduleNextAttempt,
  waitedTooLong,
  waitForHka,
} from '../attempts.ts';
import { datosDocumentoOf, loadDocument, type PipelineState, parseCause } from './common.ts';
import { drainNextOfPointOfSale } from './drain.ts';
import { observingHka } from './hka-availability.ts';
import { reasonsFromRejection } from './reasons.ts';

/** Errors that no later attempt can cure on its own: the document ends FAILED (POST /retry after a fix). */
const FINAL_ERRORS = new Set([
  'DocumentNotFoundError',
  'PipelineStateError',
  'SigningKeyMissingError',
  // Nothing signs with an expired certificate; a new one and POST /retry issue the document.
  'SigningCertificateExpiredError',
  'HkaAuthenticationError',
  'HkaCredentialsMissingError',
]);

/** HKA did not answer (after the in-attempt retries), its probe failed, or its breaker held the attempt back. */
const HKA_UNREACHABLE_ERRORS = new Set(['HkaTransientError', 'HkaProbeFailedError', 'HkaCircuitOpenError']);

/** The reason code of a document that waited for HKA longer than it may and ended FAILED. */
export const HKA_UNREACHABLE = 'HKA_UNREACHABLE';

/**
 * Where every failure of an attempt ends (the workflow's Catch). It decides what becomes of the document:
 *
 * - superseded (another execution owns the attempt, or the document moved on): nothing;
 * - authorized by HKA but not archived (a later step failed): the next attempt is scheduled, whatever the error;
 * - rejected by HKA/DGI on submission: REJECTED with the reasons, and the folio given back (HKA consumed none);
 * - HKA did not answer (or its circuit breaker is open): the document waits durably, WAITING_FOR_HKA (a
 *   CONTINGENCY one keeps its status), its next attempt after a capped exponential backoff and never before
 *   the breaker's next probe; `document.waiting` the first time. Only after the maximum wait (72 h) is it
 *   about to end FAILED (`HKA_UNREACHABLE`), through the reconciliation below;
 * - another transient failure (our side) while attempts remain: the next attempt is scheduled (the document
 *   keeps its status, due for the re-drive sweep);
 * - otherwise the document is about to end FAILED — but never while HKA may hold it: if any submission's
 *   outcome is unknown, EstadoDocumento is asked first; when HKA has the document, its CUFE comes from that
 *   answer and the workflow goes on to archive it (`authorized`) — unless that CUFE is not our document's
 *   (another document under our number): then REJECTED, NUMBER_TAKEN_BY_OTHER_DOCUMENT. When HKA cannot be asked either, the
 *   next attempt is scheduled, however many attempts there were: an unknown outcome never becomes FAILED.
 *   A document that ends FAILED gives its folio back and is published as `document.failed`.
 *
 * HKA refusing the tenant's credentials is published as `hka.credentials-failing`. A document that was
 * waiting (or issued in contingency) and reached its outcome here (REJECTED, FAILED) starts the next waiting
 * one of its point of sale; a contingency document ending so may end the tenant's contingency.
 */
export async function endAttempt(state: PipelineState, now: Date = clockNow()): Promise<PipelineState> {
  const cause = parseCause(state.error);
  let doc: DocumentRecord;
  try {
    doc = await loadDocument(state);
  } catch (error) {
    if ((error as Error).name === 'DocumentNotFoundError') return { ...state, outcome: 'settled' };
    throw error;
  }
  if (cause.type === 'AttemptSupersededError' || !isInFlight(doc.status) || doc.attempt !== state.attempt) {
    return { ...state, outcome: isInFlight(doc.status) ? 'superseded' : 'settled' };
  }
  const ended = await decide(state, doc, cause, now);
  if (ended.outcome === 'rejected' || ended.outcome === 'failed') {
    if (doc.waitingSince || doc.contingency) await drainNextOfPointOfSale(doc, now);
    // A contingency document that HKA refused (or that failed) has ended as surely as an authorized one:
    // when it was the tenant's last in CONTINGENCY, the contingency is over.
    if (doc.contingency) await endContingencyIfLast(doc, now);
  }
  return ended;
}

async function decide(
  state: PipelineState,
  doc: DocumentRecord,
  cause: { type: string; message: string },
  now: Date,
): Promise<PipelineState> {
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

  if (HKA_UNREACHABLE_ERRORS.has(cause.type) && !waitedTooLong(doc, now)) {
    return waitForHkaToAnswer(state, doc, cause, now);
  }
  if (cause.type === 'HkaAuthenticationError') await announceCredentialsFailing(doc, cause.message);

  const delay = redriveDelayAfter(doc.attempt);
  const unreachable = HKA_UNREACHABLE_ERRORS.has(cause.type);
  // What a FAILED document says: after the maximum wait, that HKA never answered (with the last error).
  const failure = unreachable ? unreachableFor(doc, cause, now) : cause;
  if (!unreachable && !FINAL_ERRORS.has(cause.type) && delay !== undefined) {
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
        return waitForHkaToAnswer(
          state,
          doc,
          {
            type: cause.type,
            message: `${cause.message}; EstadoDocumento did not answer either (${error.message})`,
          },
          now,
        );
      }
      // HKA refuses to answer at all (e.g. revoked credentials): nothing will change on its own.
      return fail(
        state,
        doc,
        {
          type: failure.type,
          message: `${failure.message}; HKA could not be asked whether it holds the document (${(error as Error).message}) — POST /retry asks again before sending anything`,
        },
        now,
      );
    }
  }
  return fail(state, doc, failure, now);
}

function unreachableFor(doc: DocumentRecord, cause: { type: string; message: string }, now: Date) {
  const hours = Math.round((now.getTime() - Date.parse(doc.waitingSince ?? doc.issuedAt)) / 3_600_000);
  return {
    type: HKA_UNREACHABLE,
    message: `HKA did not answer for ${hours} h (last error: ${cause.type}: ${cause.message})`,
  };
}

/**
 * The document waits for HKA. A breaker that held the attempt back counts nothing and sets the next attempt
 * at its next probe at the earliest; a real failure moves the backoff on. The first wait is published (at
 * least once).
 */
async function waitForHkaToAnswer(
  state: PipelineState,
  doc: DocumentRecord,
  cause: { type: string; message: string },
  now: Date,
): Promise<PipelineState> {
  const breaker = await hkaBreaker.read(doc.environment);
  const held = cause.type === 'HkaCircuitOpenError';
  const waited = await waitForHka(doc, doc.attempt, {
    lastError: held ? cause.message : `${cause.type}: ${cause.message}`,
    now,
    counted: !held,
    ...(breaker.state === 'open' && breaker.nextProbeAt ? { notBefore: breaker.nextProbeAt } : {}),
  });
  if (!waited) return { ...state, outcome: 'superseded' };
  metrics.addMetric('AttemptWaitingForHka', MetricUnit.Count, 1);
  // At least once: a failed publication fails this step, whose retry finds the document not announced yet.
  if (!doc.waitingAnnounced) {
    await publishEvent({
      type: 'document.waiting',
      detail: {
        tenantId: doc.tenantId,
        documentId: doc.documentId,
        nextAttemptAt: waited.dueAt,
        lastError: held ? cause.message : `${cause.type}: ${cause.message}`,
      },
    });
    await documentsRepository.setFields(doc.tenantId, doc.documentId, { waitingAnnounced: true });
  }
  return { ...state, outcome: 'waiting' };
}

/** HKA refused the tenant's stored credentials: the tenant's ADMINs must update them (alerts). */
async function announceCredentialsFailing(doc: DocumentRecord, message: string): Promise<void> {
  await publishEvent({
    type: 'hka.credentials-failing',
    detail: { tenantId: doc.tenantId, environment: doc.environment, message },
  });
}

async function reject(state: PipelineState, doc: DocumentRecord, message: string, now: Date) {
  const reasons: Reason[] = doc.reasons?.length ? doc.reasons : [{ path: '', message }];
  const changed = await settle(doc, 'REJECTED', reasons, message, now);
  if (!changed) return { ...state, outcome: 'superseded' as const };
  metrics.addMetric('DocumentRejected', MetricUnit.Count, 1);
  return { ...state, reasons, outcome: 'rejected' as const };
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
    from: [...IN_FLIGHT_STATUSES],
    attempt: doc.attempt,
    to,
    set: { reasons },
    remove: ['attemptOwner', 'leaseUntil', 'nextAttemptAt'],
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
  // PublishFailed carries `$.error`: after the maximum wait it names HKA_UNREACHABLE, not the last fault.
  const error =
    cause.type === HKA_UNREACHABLE ? { Error: HKA_UNREACHABLE, Cause: cause.message } : state.error;
  if (!(await settle(doc, 'FAILED', reasons, cause.message, now))) return { ...state, outcome: 'superseded' };
  metrics.addMetric('DocumentFailed', MetricUnit.Count, 1);
  logger.warn('Document failed', { documentId: doc.documentId, errorType: cause.type });
  return { ...state, ...(error ? { error } : {}), outcome: 'failed' };
}
