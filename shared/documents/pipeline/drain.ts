import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import {
  batchGetDocuments,
  type DocumentRecord,
  documentsRepository,
  isInFlight,
} from '#shared/data/documents';
import { GSI, gsiKeys } from '#shared/data/keys';
import { hkaBreaker } from '#shared/hka/breaker';
import { logger } from '#shared/observability/logger';
import { attemptIsLive, claimNextAttempt, startClaimedAttempt } from '../attempts.ts';

/** The statuses of a document waiting to be sent to HKA (the drain sends them in number order). */
export const WAITING_STATUSES = ['WAITING_FOR_HKA', 'CONTINGENCY'] as const;

/**
 * How many waiting documents of a point of sale one drain step reads, lowest first. The status index orders
 * them by emission time, which follows the number within a point of sale (both are given at acceptance);
 * reading a few and sorting by number absorbs two acceptances in the same instant.
 */
const CANDIDATES = 10;

type PointOfSale = Pick<DocumentRecord, 'tenantId' | 'environment' | 'branch' | 'pointOfSale'>;

/**
 * The waiting documents of a point of sale in one HKA environment, lowest number first (at most a few):
 * through the tenant's status index (its partitions of WAITING_FOR_HKA and CONTINGENCY), oldest first,
 * filtered on the projected branch and point of sale, then read from the table — their status is checked
 * on the item itself, since the index lags a write.
 */
export async function waitingDocumentsOf(pos: PointOfSale): Promise<DocumentRecord[]> {
  const found: Array<{ pk: string; sk: string }> = [];
  for (const status of WAITING_STATUSES) {
    const ofStatus: Array<{ pk: string; sk: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    // Bounded: a point of sale's first waiting documents are all the drain needs.
    for (let page = 0; page < 5 && ofStatus.length < CANDIDATES; page++) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: GSI.byStatus.name,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#branch = :branch AND #pos = :pos',
          ExpressionAttributeNames: {
            '#pk': GSI.byStatus.pk,
            '#branch': 'branch',
            '#pos': 'pointOfSale',
          },
          ExpressionAttributeValues: {
            ':pk': gsiKeys.documentsByStatus(pos.tenantId, status, '', '').gsi2pk,
            ':branch': pos.branch,
            ':pos': pos.pointOfSale,
          },
          ScanIndexForward: true,
          Limit: 50,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) ofStatus.push({ pk: String(item.pk), sk: String(item.sk) });
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    found.push(...ofStatus.slice(0, CANDIDATES));
  }
  const documents = await batchGetDocuments(found);
  return documents
    .filter(
      (doc) =>
        (WAITING_STATUSES as readonly string[]).includes(doc.status) && doc.environment === pos.environment,
    )
    .sort((a, b) => a.number.localeCompare(b.number));
}

/**
 * Starts the next waiting document of `pos` — the lowest-numbered one — unless one of them is running
 * already (one at a time per point of sale: HKA receives them in number order, at the pace HKA answers).
 * The document is pulled forward: it does not sit out the rest of its backoff. `probe`: the attempt is the
 * open breaker's probe; `fallback`: the document to start when the index lists none yet (it lags a write).
 * Returns the started document, or undefined when none was (a chain is running, none
 * waits, another claimed it first, or the start failed — the sweep tries again).
 */
export async function startNextOfPointOfSale(
  pos: PointOfSale,
  now: Date,
  options: { probe?: boolean; fallback?: DocumentRecord } = {},
): Promise<DocumentRecord | undefined> {
  const [next = options.fallback] = await waitingDocumentsOf(pos);
  if (!next || attemptIsLive(next, now)) return undefined;
  const claimed = await claimNextAttempt(next, now, { pullForward: true });
  if (!claimed) return undefined;
  await documentsRepository.appendEvent(claimed.tenantId, claimed.documentId, {
    at: now.toISOString(),
    type: 'REDRIVEN',
    status: claimed.status,
    message: options.probe
      ? `Attempt ${claimed.attempt} started to probe HKA (the lowest-numbered waiting document of its point of sale)`
      : `Attempt ${claimed.attempt} started by the drain (number order per point of sale)`,
  });
  const started = await startClaimedAttempt(
    claimed,
    (error) =>
      logger.error('Drained attempt did not start; the re-drive sweep starts it', {
        documentId: claimed.documentId,
        error: error as Error,
      }),
    { probe: options.probe === true },
  );
  return started ? claimed : undefined;
}

/**
 * The end of a waiting document's attempt (AUTHORIZED, REJECTED, FAILED) starts the next waiting document
 * of its point of sale: the drain is a chain, one document at a time, while HKA answers. Nothing when the
 * breaker is open (the sweep's probe resumes it). Never fails its caller: a broken chain is restarted by
 * the re-drive sweep.
 */
export async function drainNextOfPointOfSale(doc: DocumentRecord, now: Date): Promise<void> {
  try {
    const breaker = await hkaBreaker.read(doc.environment);
    if (breaker.state === 'open') return;
    await startNextOfPointOfSale(doc, now);
  } catch (error) {
    logger.warn('Next waiting document not started; the re-drive sweep will', {
      documentId: doc.documentId,
      error: error as Error,
    });
  }
}

/** Whether the document is waiting for HKA between attempts (as opposed to being issued for the first time). */
export const isWaiting = (doc: Pick<DocumentRecord, 'status'>): boolean =>
  isInFlight(doc.status) && (WAITING_STATUSES as readonly string[]).includes(doc.status);
