import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { type DocumentRecord, documentItem, eventItem } from './documents.ts';
import { cancellationCodes } from './errors.ts';
import { completionPut, type IdempotencyClaim, type StoredResponse } from './idempotency.ts';
import { keys } from './keys.ts';
import type { TransactItem } from './transactions.ts';

export const MAX_DOCUMENT_NUMBER = 9_999_999_999;

// Under a burst on one point of sale each round lets one writer through; 100 jittered rounds cover a few
// hundred concurrent requests well inside an API timeout.
const MAX_ALLOCATION_ATTEMPTS = 100;

/** `numeroDocumentoFiscal` / `dNroDF`: 10 digits, zero-padded, never `0000000000`. */
export function formatDocumentNumber(value: number): string {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_DOCUMENT_NUMBER) {
    throw new RangeError(`document number ${value} is outside 1..${MAX_DOCUMENT_NUMBER}`);
  }
  return String(value).padStart(10, '0');
}

/** The series (branch, point of sale) has used every 10-digit number. */
export class SeriesExhaustedError extends Error {
  override readonly name = 'SeriesExhaustedError';
}

/** The request's claim of its Idempotency-Key was taken over meanwhile; the caller decides replay vs 409. */
export class IdempotencyKeyTakenError extends Error {
  override readonly name = 'IdempotencyKeyTakenError';
}

/** Lost the optimistic race for the next number too many times in a row (extreme contention). */
export class NumberContentionError extends Error {
  override readonly name = 'NumberContentionError';
}

async function readLastNumber(tenantId: string, branch: string, pos: string): Promise<number> {
  const out = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.seriesCounter(tenantId, branch, pos),
      ConsistentRead: true,
      ProjectionExpression: 'lastNumber',
    }),
  );
  return Number(out.Item?.lastNumber ?? 0);
}

export type NewDocument = {
  tenantId: string;
  branch: string;
  pointOfSale: string;
  /** Builds the document once its number is known (called again if the number race is lost). */
  build: (number: string) => DocumentRecord;
  /** The request's claim of its Idempotency-Key: completed in the same transaction, which fails if it was lost. */
  idempotency?: { scope: IdempotencyClaim; response: (doc: DocumentRecord) => StoredResponse };
  /**
   * Further conditional writes that must happen together with the document (folio debits). A failed
   * condition on one of them cancels everything and surfaces as QuotaExhaustedError with its `name`.
   */
  extraItems?: Array<{ name: string; item: TransactItem }>;
  now?: Date;
};

/** A conditional extra write (e.g. a folio debit) failed: the quota it guards is used up. */
export class QuotaExhaustedError extends Error {
  override readonly name = 'QuotaExhaustedError';
  constructor(readonly quota: string) {
    super(`${quota} is exhausted`);
  }
}

/**
 * Allocates the next number of the series and creates the document, its first history event and the
 * idempotency record in ONE transaction, so a number is consumed only together with a document, two
 * documents can never get the same number (the counter's compare-and-set plus a per-number claim item),
 * and a retried request never creates a second document.
 *
 * The counter is compare-and-set (optimistic): read `lastNumber`, write `lastNumber + 1` only if it is
 * still `lastNumber`. Losing the race cancels the whole transaction, so nothing is consumed; we re-read
 * and try again with jittered backoff.
 */
export async function createDocumentWithNumber(input: NewDocument): Promise<DocumentRecord> {
  const { tenantId, branch, pointOfSale } = input;
  const now = input.now ?? new Date();
  // The counter as the losing transaction saw it: saves a read per retry under contention.
  let known: number | undefined;
  for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
    const last = known ?? (await readLastNumber(tenantId, branch, pointOfSale));
    known = undefined;
    if (last >= MAX_DOCUMENT_NUMBER)
      throw new SeriesExhaustedError(`series ${branch}-${pointOfSale} is exhausted`);
    const number = formatDocumentNumber(last + 1);
    const doc = input.build(number);

    const counterKey = keys.seriesCounter(tenantId, branch, pointOfSale);
    const transactItems: TransactItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: counterKey,
          UpdateExpression: 'SET lastNumber = :next, updatedAt = :now, tenantId = :tenant',
          ConditionExpression: last === 0 ? 'attribute_not_exists(pk)' : 'lastNumber = :last',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeValues: {
            ':next': last + 1,
            ':now': now.toISOString(),
            ':tenant': tenantId,
            ...(last === 0 ? {} : { ':last': last }),
          },
        },
      },
      {
        // Claim of the number, kept for the gap/duplicate audit of the series; a second claim is impossible.
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.numberClaim(tenantId, branch, pointOfSale, number),
            documentId: doc.documentId,
            claimedAt: now.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: documentItem(doc),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: eventItem(tenantId, doc.documentId, {
            at: now.toISOString(),
            type: 'CREATED',
            status: doc.status,
            actor: doc.createdBy,
            message: `Number ${branch}-${pointOfSale}-${number} allocated`,
          }),
        },
      },
    ];
    if (input.idempotency) {
      transactItems.push(completionPut(input.idempotency.scope, input.idempotency.response(doc), now));
    }

    const idempotencyIndex = input.idempotency ? 4 : -1;
    const extrasStart = transactItems.length;
    for (const extra of input.extraItems ?? []) transactItems.push(extra.item);

    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: transactItems }));
      return doc;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (idempotencyIndex >= 0 && codes[idempotencyIndex] === 'ConditionalCheckFailed')
        throw new IdempotencyKeyTakenError('idempotency key already used');
      const exhausted = (input.extraItems ?? []).find(
        (_, i) => codes[extrasStart + i] === 'ConditionalCheckFailed',
      );
      if (exhausted) throw new QuotaExhaustedError(exhausted.name);
      const lostNumberRace = codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed';
      // TransactionConflict: another transaction touched the counter at the same moment; same remedy.
      const conflicted = codes.some((code) => code === 'TransactionConflict');
      if (!lostNumberRace && !conflicted) throw error;
      if (codes[0] === 'ConditionalCheckFailed') known = lastNumberOf(error);
      await sleep(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
    }
  }
  throw new NumberContentionError(`could not allocate a number in series ${branch}-${pointOfSale}`);
}

/** `lastNumber` of the counter item returned with the cancellation (plain or DynamoDB-typed). */
function lastNumberOf(error: unknown): number | undefined {
  const reasons = (error as { CancellationReasons?: Array<{ Item?: Record<string, unknown> }> })
    .CancellationReasons;
  const value = reasons?.[0]?.Item?.lastNumber as number | { N?: string } | undefined;
  const parsed = typeof value === 'object' && value !== null ? Number(value.N) : Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
