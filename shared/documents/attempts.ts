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
 * A document HKA did not answer for *waits* between attempts (WAITING_FOR_HKA; CONTINGENCY documents wait the
 * same way to be sent): `nextAttemptAt` says when, with capped exponential backoff, for at most 72 hours.
 * Every attempt condition accepts the three in-flight statuses: a resumed attempt keeps its status until
 * its outcome.
 *
 * Every write is conditional on the attempt number, so a superseded execution can no longer change the
 * document (its final steps are fenced); two HKA submissions of one document can only overlap when an
 * attempt outlives its lease, and HKA answers the second with 102 (same number) — nothing is created twice.
 */
import { config } from '#shared/config/config';
import {
  type DocumentRecord,
  documentsRepository,
  IN_FLIGHT_STATUSES,
  isInFlight,
} from '#shared/data/documents';
import { gsiKeys } from '#shared/data/keys';
import { type AttemptInput, startIssuingAttempt } from '#shared/events/pipeline';

/** The execution no longer owns the attempt (another execution does, or a newer attempt was claimed). */
export class AttemptSupersededError extends Error {
  override readonly name = 'AttemptSupersededError';
}

const inSeconds = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** `#st IN (…in-flight…)` with its names and values, for the conditions of attempt bookkeeping. */
const IN_FLIGHT_CONDITION = `#st IN (${IN_FLIGHT_STATUSES.map((_, i) => `:inflight${i}`).join(', ')})`;
const inFlightValues = Object.fromEntries(IN_FLIGHT_STATUSES.map((status, i) => [`:inflight${i}`, status]));

/** The lease fields: the document's `leaseUntil` and its place in the in-flight index. */
function lease(doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>, leaseUntil: string) {
  return { leaseUntil, ...gsiKeys.documentInFlight(doc.tenantId, doc.documentId, leaseUntil) };
}

/** The lease a newly claimed attempt gets: long enough for its workflow to start. */
export function initialLease(doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>, now: Date) {
  return lease(doc, inSeconds(now, config().issuing.startGraceSeconds));
}

export const attemptInputOf = (doc: DocumentRecord, probe = false): AttemptInput => ({
  tenantId: doc.tenantId,
  documentId: doc.documentId,
  attempt: doc.attempt,
  channel: doc.channel,
  environment: doc.environment,
  probe,
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
    remove: ['nextAttemptAt'],
    add: options.submission ? { submissionAttempts: 1 } : undefined,
    condition: `${IN_FLIGHT_CONDITION} AND #at = :attempt AND (attribute_not_exists(#ow) OR #ow = :owner)`,
    names: { '#st': 'status', '#at': 'attempt', '#ow': 'attemptOwner' },
    values: { ...inFlightValues, ':attempt': state.attempt, ':owner': state.executionId },
  });
  if (!doc) {
    throw new AttemptSupersededError(
      `attempt ${state.attempt} of document ${state.documentId} is not this execution's to run`,
    );
  }
  return doc;
}

/**
 * Claims the next attempt of an in-flight document whose current attempt is over (its lease has passed).
 * `pullForward`: also a document still sitting out its wait for HKA (`nextAttemptAt` set, no attempt
 * running) — the ordered drain and POST /retry do not make it sit out its backoff once HKA answers.
 * Returns the document as written, or undefined when someone else claimed it first or it moved on.
 */
export async function claimNextAttempt(
  doc: Pick<DocumentRecord, 'tenantId' | 'documentId' | 'attempt'>,
  now: Date,
  options: { pullForward?: boolean } = {},
): Promise<DocumentRecord | undefined> {
  const due = options.pullForward ? '(#lu <= :now OR attribute_exists(#na))' : '#lu <= :now';
  const claimed = await documentsRepository.updateIf(doc.tenantId, doc.documentId, {
    set: { attempt: doc.attempt + 1, ...initialLease(doc, now), updatedAt: now.toISOString() },
    remove: ['attemptOwner', 'nextAttemptAt'],
    condition: `${IN_FLIGHT_CONDITION} AND #at = :attempt AND ${due}`,
    names: {
      '#st': 'status',
      '#at': 'attempt',
      '#lu': 'leaseUntil',
      ...(options.pullForward ? { '#na': 'nextAttemptAt' } : {}),
    },
    values: { ...inFlightValues, ':attempt': doc.attempt, ':now': now.toISOString() },
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
    condition: `${IN_FLIGHT_CONDITION} AND #at = :attempt`,
    names: { '#st': 'status', '#at': 'attempt' },
    values: { ...inFlightValues, ':attempt': attempt },
  });
  return written ? dueAt : undefined;
}

/** The wait before the next attempt of a document that has waited `waits` times: doubling, capped. */
export function waitSecondsAfter(waits: number): number {
  const { waitBaseSeconds, waitCapSeconds } = config().issuing;
  return Math.min(waitCapSeconds, waitBaseSeconds * 2 ** Math.min(waits, 30));
}

/** Whether the document has waited for HKA longer than it may (72 h by default): it may end FAILED. */
export function waitedTooLong(doc: Pick<DocumentRecord, 'waitingSince'>, now: Date): boolean {
  if (!doc.waitingSince) return false;
  return now.getTime() - Date.parse(doc.waitingSince) >= config().issuing.maxWaitSeconds * 1000;
}

/**
 * Ends attempt `attempt` because HKA did not answer (or its circuit breaker is open): the document waits
 * durably — WAITING_FOR_HKA (a CONTINGENCY document keeps its status) — with its next attempt due after
 * its backoff, and not before `notBefore` (the breaker's next probe). `counted: false` (the breaker held the
 * attempt back, HKA was not called) keeps the backoff where it is. Returns when the next attempt is due and
 * whether this is the document's first wait, or undefined when the attempt was superseded.
 */
export async function waitForHka(
  doc: DocumentRecord,
  attempt: number,
  options: { lastError: string; now: Date; notBefore?: string; counted?: boolean },
): Promise<{ dueAt: string; first: boolean } | undefined> {
  const { now } = options;
  const counted = options.counted ?? true;
  const waits = doc.waits ?? 0;
  const backoff = inSeconds(now, waitSecondsAfter(counted ? waits : Math.max(waits - 1, 0)));
  const dueAt = options.notBefore && options.notBefore > backoff ? options.notBefore : backoff;
  const first = !doc.waitingSince;
  const to = doc.status === 'CONTINGENCY' ? 'CONTINGENCY' : 'WAITING_FOR_HKA';
  const changed = await documentsRepository.transition(doc.tenantId, doc.documentId, {
    from: [...IN_FLIGHT_STATUSES],
    attempt,
    to,
    set: {
      ...lease(doc, dueAt),
      nextAttemptAt: dueAt,
      lastError: options.lastError.slice(0, 500),
      waitingSince: doc.waitingSince ?? now.toISOString(),
      waits: counted ? waits + 1 : waits,
    },
    remove: ['attemptOwner'],
    event: {
      type: first && to === 'WAITING_FOR_HKA' ? 'WAITING_FOR_HKA' : 'ATTEMPT_FAILED',
      message: `Attempt ${attempt}: ${options.lastError}; attempt ${attempt + 1} at ${dueAt}`,
    },
    now,
  });
  return changed ? { dueAt, first } : undefined;
}

/**
 * Moves a document's next attempt to `dueAt` without running it (its breaker is open, or its point of sale's
 * drain will pull it forward in turn); the document waits with `nextAttemptAt` meanwhile. `countWait`: the
 * wait counts towards its backoff (so a document held back during an outage is looked at less and less
 * often). False when the document moved on or an attempt runs.
 */
export async function postponeAttempt(
  doc: Pick<DocumentRecord, 'tenantId' | 'documentId' | 'waits'>,
  attempt: number,
  dueAt: string,
  now: Date,
  options: { countWait: boolean },
): Promise<boolean> {
  const written = await documentsRepository.updateIf(doc.tenantId, doc.documentId, {
    set: {
      ...lease(doc, dueAt),
      nextAttemptAt: dueAt,
      updatedAt: now.toISOString(),
      ...(options.countWait ? { waits: (doc.waits ?? 0) + 1 } : {}),
    },
    condition: `${IN_FLIGHT_CONDITION} AND #at = :attempt AND attribute_not_exists(#ow)`,
    names: { '#st': 'status', '#at': 'attempt', '#ow': 'attemptOwner' },
    values: { ...inFlightValues, ':attempt': attempt },
  });
  return !!written;
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
  options: { probe?: boolean } = {},
): Promise<boolean> {
  try {
    await startIssuingAttempt(attemptInputOf(doc, options.probe));
    return true;
  } catch (error) {
    onStartFailure(error);
    return false;
  }
}

/**
 * Whether the document's current attempt is still live: claimed or running, its lease not passed (a
 * document sitting out a wait for HKA has no live attempt).
 */
export function attemptIsLive(doc: DocumentRecord, now: Date): boolean {
  return (
    isInFlight(doc.status) && !doc.nextAttemptAt && !!doc.leaseUntil && doc.leaseUntil > now.toISOString()
  );
}

/** Delay before attempt `attempt + 1`, or undefined when `attempt` was the last one allowed. */
export function redriveDelayAfter(attempt: number): number | undefined {
  return config().issuing.redriveDelaysSeconds[attempt - 1];
}

/** The longest configured wait: how often a document whose outcome HKA cannot confirm is asked about again. */
export function longestRedriveDelay(): number {
  return Math.max(...config().issuing.redriveDelaysSeconds);
}
