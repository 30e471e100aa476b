/**
 * The life of an issuing attempt. A document is PROCESSING only while something durable will move it:
 *
 * - an attempt is *claimed* on the document (attempt number + lease) before its workflow is started, by
 *   the API when the document is accepted, by POST /retry, or by the re-drive sweep;
 * - the workflow's first step *begins* it: exactly one execution may own an attempt (a second start of the
 *   same attempt, or a late start after the attempt was superseded, ends without doing anything);
 * - a transient failure *schedules* the next attempt by moving the lease to when it is due;
 * - the re-drive sweep claims the next attempt of every PROCESSING document whose lease has passed —
 *   whether its attempt ended on a transient failure, never started, or died (timeout, crash, stop).
 *
 * Every write is conditional on the attempt number, so a superseded execution can no longer change the
 * document (its final steps are fenced); two HKA submissions of one document can only overlap when an
 * attempt outlives its lease, and HKA answers the second with 102 (same number) — nothing is created twice.
 */
import { config } from '#shared/config/config';
import { type DocumentRecord, documentsRepository } from '#shared/data/documents';
import { gsiKeys } from '#shared/data/keys';
import { type AttemptInput, startIssuingAttempt } from '#shared/events/pipeline';

/** The execution no longer owns the attempt (another execution does, or a newer attempt was claimed). */
export class AttemptSupersededError extends Error {
  override readonly name = 'AttemptSupersededError';
}

const inSeconds = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** The lease fields: the document's `leaseUntil` and its place in the in-flight index. */
function lease(doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>, leaseUntil: string) {
  return { leaseUntil, ...gsiKeys.documentInFlight(doc.tenantId, doc.documentId, leaseUntil) };
}

/** The lease a newly claimed attempt gets: long enough for its workflow to start. */
export function initialLease(doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>, now: Date) {
  return lease(doc, inSeconds(now, config().issuing.startGraceSeconds));
}

export const attemptInputOf = (doc: DocumentRecord): AttemptInput => ({
  tenantId: doc.tenantId,
  documentId: doc.documentId,
  attempt: doc.attempt,
  channel: doc.channel,
});

/**
 * Takes ownership of an attempt for an execution and extends its lease to the attempt's full length.
 * `submission`: the step is about to send the document, so the submission is counted first (a later
 * attempt then knows HKA may hold it). Returns the document as written.
 */
export async function beginAttempt(
  state: { tenantId: string; documentId: string; attempt: number; executionId: string },
  options: { submission: boolean; now: Date },
): Promise<DocumentRecord> {
  const { now } = options;
  const leaseUntil = inSeconds(now, config().issuing.attemptLeaseSeconds);
  const doc = await documentsRepository.updateIf(state.tenantId, state.documentId, {
    set: {
      attemptOwner: state.executionId,
      ...lease(state, leaseUntil),
      updatedAt: now.toISOString(),
      ...(options.submission ? { lastSubmissionAt: now.toISOString() } : {}),
    },
    add: options.submission ? { submissionAttempts: 1 } : undefined,
    condition: '#st = :processing AND #at = :attempt AND (attribute_not_exists(#ow) OR #ow = :owner)',
    names: { '#st': 'status', '#at': 'attempt', '#ow': 'attemptOwner' },
    values: { ':processing': 'PROCESSING', ':attempt': state.attempt, ':owner': state.executionId },
  });
  if (!doc) {
    throw new AttemptSupersededError(
      `attempt ${state.attempt} of document ${state.documentId} is not this execution's to run`,
    );
  }
  return doc;
}

/**
 * Claims the next attempt of a PROCESSING document whose current attempt is over (its lease has passed).
 * Returns the document as written, or undefined when someone else claimed it first or it moved on.
 */
export async function claimNextAttempt(
  doc: Pick<DocumentRecord, 'tenantId' | 'documentId' | 'attempt'>,
  now: Date,
): Promise<DocumentRecord | undefined> {
  const claimed = await documentsRepository.updateIf(doc.tenantId, doc.documentId, {
    set: { attempt: doc.attempt + 1, ...initialLease(doc, now), updatedAt: now.toISOString() },
    remove: ['attemptOwner'],
    condition: '#st = :processing AND #at = :attempt AND #lu <= :now',
    names: { '#st': 'status', '#at': 'attempt', '#lu': 'leaseUntil' },
    values: { ':processing': 'PROCESSING', ':attempt': doc.attempt, ':now': now.toISOString() },
  });
  return claimed;
}

/**
 * Ends attempt `attempt` on a transient failure: the execution lets go and the next attempt is due after
 * `delaySeconds` (the re-drive sweep starts it). False when the attempt was superseded meanwhile.
 */
export async function scheduleNextAttempt(
  doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>,
  attempt: number,
  delaySeconds: number,
  now: Date,
): Promise<string | undefined> {
  const dueAt = inSeconds(now, delaySeconds);
  const written = await documentsRepository.updateIf(doc.tenantId, doc.documentId, {
    set: { ...lease(doc, dueAt), updatedAt: now.toISOString() },
    remove: ['attemptOwner'],
    condition: '#st = :processing AND #at = :attempt',
    names: { '#st': 'status', '#at': 'attempt' },
    values: { ':processing': 'PROCESSING', ':attempt': attempt },
  });
  return written ? dueAt : undefined;
}

/**
 * The submission just made certainly never reached HKA (connection refused, HTTP error before processing):
 * counted, so a document whose every submission failed that way may end FAILED without asking HKA.
 */
export async function recordSubmissionNeverSent(doc: DocumentRecord): Promise<void> {
  await documentsRepository.updateIf(doc.tenantId, doc.documentId, {
    add: { notSentAttempts: 1 },
    condition: '#at = :attempt',
    names: { '#at': 'attempt' },
    values: { ':attempt': doc.attempt },
  });
}

/** Whether an earlier submission of the document may have reached HKA (its outcome is unknown). */
export function mayBeAtHka(doc: DocumentRecord): boolean {
  return (doc.submissionAttempts ?? 0) > (doc.notSentAttempts ?? 0);
}

/** Starts the workflow of a claimed attempt; a failed start is left to the sweep (the lease runs out). */
export async function startClaimedAttempt(
  doc: DocumentRecord,
  onStartFailure: (error: unknown) => void,
): Promise<boolean> {
  try {
    await startIssuingAttempt(attemptInputOf(doc));
    return true;
  } catch (error) {
    onStartFailure(error);
    return false;
  }
}

/** Whether the document's current attempt is still live (its lease has not passed). */
export function attemptIsLive(doc: DocumentRecord, now: Date): boolean {
  return doc.status === 'PROCESSING' && !!doc.leaseUntil && doc.leaseUntil > now.toISOString();
}

/** Delay before attempt `attempt + 1`, or undefined when `attempt` was the last one allowed. */
export function redriveDelayAfter(attempt: number): number | undefined {
  return config().issuing.redriveDelaysSeconds[attempt - 1];
}

/** The longest configured wait: how often a document whose outcome HKA cannot confirm is asked about again. */
export function longestRedriveDelay(): number {
  return Math.max(...config().issuing.redriveDelaysSeconds);
}
