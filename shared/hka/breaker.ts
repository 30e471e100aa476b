/**
 * The circuit breaker of one HKA environment (demo, prod): what every issuing attempt, the re-drive sweep,
 * contingency and `GET /v1/health` know about HKA's availability.
 *
 * - Closed: documents go to HKA. Every transient failure (timeout, connection refused, 5xx, malformed answer)
 *   is counted; `FAILURE_THRESHOLD` in a row open it. `downSince` is the first failure of that run: when HKA
 *   stopped answering, as far as we know (a contingency's start).
 * - Open: nobody sends documents; the re-drive sweep lets one probe through per `PROBE_INTERVAL_SECONDS`
 *   (`claimProbe`: one winner across every concurrent sweep). The first success closes it.
 *
 * One item per environment (`T#_platform#HKA#<env>` / `BREAKER`), updated with the function's own role (IAM
 * grants exactly that prefix), never a tenant's session: it holds no tenant data. Reads are cached for a few
 * seconds per process, so a burst of documents costs one GetItem per container, and a success writes only
 * when the breaker is not already clean.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now as clockNow } from '#shared/clock';
import { platformDocumentClient, tableName } from '#shared/data/client';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { keys } from '#shared/data/keys';

export type HkaEnvironment = 'demo' | 'prod';
export const HKA_ENVIRONMENTS: readonly HkaEnvironment[] = ['demo', 'prod'];

/** Transient failures in a row that open the breaker: a single timeout is not an outage. */
export const FAILURE_THRESHOLD = 3;
/** While open, one probe per interval. */
export const PROBE_INTERVAL_SECONDS = 60;
/** How long a read may be served from the process cache. */
const CACHE_MS = 5_000;

export type BreakerState = {
  environment: HkaEnvironment;
  state: 'closed' | 'open';
  /** Transient failures since the last success. */
  consecutiveFailures: number;
  /** First failure of the current run of failures (absent after a success). */
  downSince?: string;
  /** When the breaker opened (absent while closed). */
  openedAt?: string;
  /** While open: when the next probe may go. */
  nextProbeAt?: string;
  lastError?: string;
  lastFailureAt?: string;
  lastSuccessAt?: string;
  /** The last outage that ended: from its first failure to the success that closed it. */
  lastOutage?: { from: string; to: string };
};

const cache = new Map<HkaEnvironment, { at: number; state: BreakerState }>();

function stateOf(environment: HkaEnvironment, item: Record<string, unknown> | undefined): BreakerState {
  if (!item) return { environment, state: 'closed', consecutiveFailures: 0 };
  const { pk: _pk, sk: _sk, ...fields } = item;
  return {
    consecutiveFailures: 0,
    ...fields,
    environment,
    state: item.state === 'open' ? 'open' : 'closed',
  } as BreakerState;
}

function remember(state: BreakerState): BreakerState {
  cache.set(state.environment, { at: Date.now(), state });
  return state;
}

const plusSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();

export const hkaBreaker = {
  /** The breaker as last seen by this process (at most a few seconds old), or read now. */
  async read(environment: HkaEnvironment, options: { fresh?: boolean } = {}): Promise<BreakerState> {
    const cached = cache.get(environment);
    if (!options.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.state;
    const out = await platformDocumentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.hkaBreaker(environment), ConsistentRead: true }),
    );
    return remember(stateOf(environment, out.Item));
  },

  /**
   * Counts a transient failure of an HKA call; opens the breaker when it is the `FAILURE_THRESHOLD`-th in a
   * row. Returns the breaker as written (`opened`: this call opened it).
   */
  async recordFailure(
    environment: HkaEnvironment,
    error: string,
    now: Date = clockNow(),
  ): Promise<BreakerState & { opened: boolean }> {
    const at = now.toISOString();
    const out = await platformDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.hkaBreaker(environment),
        UpdateExpression:
          'SET #le = :error, #lf = :at, #ds = if_not_exists(#ds, :at), #st = if_not_exists(#st, :closed) ADD #cf :one',
        ExpressionAttributeNames: {
          '#le': 'lastError',
          '#lf': 'lastFailureAt',
          '#ds': 'downSince',
          '#st': 'state',
          '#cf': 'consecutiveFailures',
        },
        ExpressionAttributeValues: {
          ':error': error.slice(0, 500),
          ':at': at,
          ':closed': 'closed',
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const counted = stateOf(environment, out.Attributes);
    if (counted.state === 'open' || counted.consecutiveFailures < FAILURE_THRESHOLD) {
      return { ...remember(counted), opened: false };
    }
    try {
      const opened = await platformDocumentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.hkaBreaker(environment),
          UpdateExpression: 'SET #st = :open, #oa = :at, #np = :probe',
          ConditionExpression: '#st = :closed',
          ExpressionAttributeNames: { '#st': 'state', '#oa': 'openedAt', '#np': 'nextProbeAt' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':closed': 'closed',
            ':at': at,
            ':probe': plusSeconds(now, PROBE_INTERVAL_SECONDS),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ...remember(stateOf(environment, opened.Attributes)), opened: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Someone else opened it meanwhile.
      return { ...(await this.read(environment, { fresh: true })), opened: false };
    }
  },

  /**
   * HKA answered (any answer, a rejection too: it is up). Closes an open breaker and clears the failure
   * count; writes nothing when the breaker is already clean. Returns whether this call closed it.
   */
  async recordSuccess(environment: HkaEnvironment, now: Date = clockNow()): Promise<{ closed: boolean }> {
    const known = await this.read(environment);
    if (known.state === 'closed' && known.consecutiveFailures === 0) return { closed: false };
    const at = now.toISOString();
    const out = await platformDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.hkaBreaker(environment),
        UpdateExpression: 'SET #st = :closed, #cf = :zero, #ls = :at REMOVE #ds, #oa, #np',
        ExpressionAttributeNames: {
          '#st': 'state',
          '#cf': 'consecutiveFailures',
          '#ls': 'lastSuccessAt',
          '#ds': 'downSince',
          '#oa': 'openedAt',
          '#np': 'nextProbeAt',
        },
        ExpressionAttributeValues: { ':closed': 'closed', ':zero': 0, ':at': at },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = out.Attributes;
    const closed = before?.state === 'open';
    const after: BreakerState = {
      environment,
      state: 'closed',
      consecutiveFailures: 0,
      lastSuccessAt: at,
      ...(before?.lastError ? { lastError: String(before.lastError) } : {}),
      ...(before?.lastFailureAt ? { lastFailureAt: String(before.lastFailureAt) } : {}),
      ...(closed && before?.downSince
        ? { lastOutage: { from: String(before.downSince), to: at } }
        : before?.lastOutage
          ? { lastOutage: before.lastOutage as BreakerState['lastOutage'] }
          : {}),
    };
    if (closed) {
      await platformDocumentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.hkaBreaker(environment),
          UpdateExpression: 'SET #lo = :outage',
          ExpressionAttributeNames: { '#lo': 'lastOutage' },
          ExpressionAttributeValues: { ':outage': after.lastOutage },
        }),
      );
    }
    remember(after);
    return { closed };
  },

  /**
   * While open: takes the next probe slot if it is due (one winner among concurrent callers) and moves it
   * one interval on. False when closed, or the slot is not due yet or was taken.
   */
  async claimProbe(environment: HkaEnvironment, now: Date = clockNow()): Promise<boolean> {
    try {
      await platformDocumentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.hkaBreaker(environment),
          UpdateExpression: 'SET #np = :next, #lp = :at',
          ConditionExpression: '#st = :open AND #np <= :at',
          ExpressionAttributeNames: { '#st': 'state', '#np': 'nextProbeAt', '#lp': 'lastProbeAt' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':at': now.toISOString(),
            ':next': plusSeconds(now, PROBE_INTERVAL_SECONDS),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },
};

/** When HKA became unreachable, while the breaker is open; undefined while it is closed. */
export function hkaUnreachableSince(breaker: BreakerState): string | undefined {
  return breaker.state === 'open' ? (breaker.downSince ?? breaker.openedAt) : undefined;
}

/** Tests reset the per-process cache between cases; production never calls this. */
export function forgetBreakerCacheForTests(): void {
  cache.clear();
}
