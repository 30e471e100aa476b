import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { documentClient, tableName } from './client.ts';
import { type DocumentRecord, documentItem, eventItem } from './documents.ts';
import { cancellationCodes, isConditionalCheckFailed } from './errors.ts';
import { completionPut, type IdempotencyClaim, type StoredResponse } from './idempotency.ts';
import { keys } from './keys.ts';
import type { NumberClaim, VoidReason } from './series-audit.ts';
import type { TransactItem } from './transactions.ts';

export const MAX_DOCUMENT_NUMBER = 9_999_999_999;

/**
 * A number's transaction touches only items of its own (the claim, the new document, its event) plus the
 * idempotency record, which a concurrent request with the same key can hold a moment: a conflict there
 * clears within a retry or two.
 */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * Numbers come from an atomic increment and are never handed out twice, so another request's claim on ours
 * means the counter was set back below issued numbers (a restore): step past it, a bounded number of times.
 */
const MAX_RESERVATIONS = 3;

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

/** The document's writes kept conflicting with concurrent requests; its number was voided, nothing created. */
export class NumberContentionError extends Error {
  override readonly name = 'NumberContentionError';
}

/**
 * The document's transaction failed and its number could not be settled either: the document may or may
 * not exist (a retry with the same Idempotency-Key tells), and the series audit shows the number as missing
 * until it is. Every other error of `createDocumentWithNumber` means the document was not created.
 */
export class DocumentOutcomeUnknownError extends Error {
  override readonly name = 'DocumentOutcomeUnknownError';
  constructor(
    readonly number: string,
    options: { cause: unknown },
  ) {
    super(`the outcome of number ${number} is unknown`, options);
  }
}

export type NewDocument = {
  tenantId: string;
  branch: string;
  pointOfSale: string;
  /** Builds the document once its number is known (called again only if the series must step past a number). */
  build: (number: string) => DocumentRecord;
  /** The request's claim of its Idempotency-Key: completed in the same transaction, which fails if it was lost. */
  idempotency?: { scope: IdempotencyClaim; response: (doc: DocumentRecord) => StoredResponse };
  now?: Date;
};

/**
 * Takes the next number of the series and creates the document with it: its claim, the document, its
 * first history event and the idempotency record in ONE transaction.
 *
 * The number comes from an atomic increment of the series counter (`ADD lastNumber 1`, never a
 * compare-and-set), so concurrent requests on one point of sale never retry for a number: each gets its own
 * at once and the transactions that follow share no item. Numbers stay consecutive because a reserved
 * number always ends as an explicit claim: the document's (`ISSUED`), or `VOID` with the reason when the
 * document cannot be written (its idempotency key was taken meanwhile, or DynamoDB refused the write).
 * Everything that can refuse a document (validation, configuration, folios) is decided before the
 * increment, and an exhausted series by the increment's own condition. A transaction cancelled by a
 * conflict is retried with the same number.
 */
export async function createDocumentWithNumber(input: NewDocument): Promise<DocumentRecord> {
  const now = input.now ?? new Date();
  for (let reservation = 0; reservation < MAX_RESERVATIONS; reservation++) {
    const number = await reserveNumber(input, now);
    const doc = input.build(number);
    const outcome = await writeWithNumber(input, doc, now);
    if (outcome === 'created') return doc;
  }
  throw new Error(`series ${input.branch}-${input.pointOfSale}: every reserved number was already claimed`);
}

/** The next number of the series, taken with one atomic update of its counter. */
async function reserveNumber(input: NewDocument, now: Date): Promise<string> {
  const { tenantId, branch, pointOfSale } = input;
  try {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.seriesCounter(tenantId, branch, pointOfSale),
        UpdateExpression: 'ADD lastNumber :one SET updatedAt = :now, tenantId = :tenant',
        ConditionExpression: 'attribute_not_exists(lastNumber) OR lastNumber < :max',
        ExpressionAttributeValues: {
          ':one': 1,
          ':max': MAX_DOCUMENT_NUMBER,
          ':now': now.toISOString(),
          ':tenant': tenantId,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return formatDocumentNumber(Number(out.Attributes?.lastNumber));
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      throw new SeriesExhaustedError(`series ${branch}-${pointOfSale} is exhausted`);
    }
    throw error;
  }
}

/** Positions in the transaction, for reading its cancellation reasons. */
const CLAIM = 0;
const IDEMPOTENCY = 3;

function transactionItems(input: NewDocument, doc: DocumentRecord, now: Date): TransactItem[] {
  const { tenantId, branch, pointOfSale } = input;
  const claim: NumberClaim = {
    tenantId,
    number: doc.number,
    status: 'ISSUED',
    documentId: doc.documentId,
    claimedAt: now.toISOString(),
  };
  const items: TransactItem[] = [
    {
      // The number's claim, for the series audit: at most one per number, ever.
      Put: {
        TableName: tableName(),
        Item: { ...keys.numberClaim(tenantId, branch, pointOfSale, doc.number), ...claim },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
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
          message: `Number ${branch}-${pointOfSale}-${doc.number} allocated`,
        }),
      },
    },
  ];
  if (input.idempotency) {
    items.push(completionPut(input.idempotency.scope, input.idempotency.response(doc), now));
  }
  return items;
}

/**
 * Writes the document with its reserved number. `created` once it exists; `number-taken` when the number
 * turns out to be claimed by another document (never reused: the caller takes the next one); otherwise the
 * number is voided and the error thrown.
 */
async function writeWithNumber(
  input: NewDocument,
  doc: DocumentRecord,
  now: Date,
): Promise<'created' | 'number-taken'> {
  const items = transactionItems(input, doc, now);
  for (let attempt = 1; ; attempt++) {
    let failure: { reason: VoidReason; error: unknown };
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      return 'created';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[CLAIM] === 'ConditionalCheckFailed') return claimOutcome(doc, claimHolder(error));
      if (input.idempotency && codes?.[IDEMPOTENCY] === 'ConditionalCheckFailed') {
        failure = { reason: 'IDEMPOTENCY_KEY_TAKEN', error };
      } else if (codes?.includes('TransactionConflict')) {
        if (attempt < MAX_WRITE_ATTEMPTS) {
          await sleep(Math.random() * 25 * 2 ** attempt);
          continue;
        }
        failure = { reason: 'WRITE_CONFLICT', error };
      } else {
        failure = { reason: 'WRITE_REFUSED', error };
      }
    }
    const settled = await voidNumber(input, doc, failure.reason, now, failure.error);
    if (settled !== 'voided') return settled;
    if (failure.reason === 'IDEMPOTENCY_KEY_TAKEN') {
      throw new IdempotencyKeyTakenError('idempotency key already used');
    }
    if (failure.reason === 'WRITE_CONFLICT') {
      throw new NumberContentionError(`document ${doc.documentId} kept conflicting with concurrent writes`, {
        cause: failure.error,
      });
    }
    throw failure.error;
  }
}

/** An existing claim on the document's number: its own (an earlier try committed) or another document's. */
function claimOutcome(doc: DocumentRecord, holder: string | undefined): 'created' | 'number-taken' {
  if (holder === doc.documentId) return 'created';
  logger.error('Reserved number already claimed by another document', { number: doc.number, holder });
  return 'number-taken';
}

/**
 * Records the reserved number as VOID with its reason, so the series stays consecutive with an explicit
 * record instead of a silent gap. The claim is conditional: if the document's own transaction did commit
 * (its answer was lost), the claim is there and names the document, which then exists after all.
 */
async function voidNumber(
  input: NewDocument,
  doc: DocumentRecord,
  reason: VoidReason,
  now: Date,
  cause: unknown,
): Promise<'voided' | 'created' | 'number-taken'> {
  const { tenantId, branch, pointOfSale } = input;
  const claim: NumberClaim = {
    tenantId,
    number: doc.number,
    status: 'VOID',
    documentId: doc.documentId,
    claimedAt: now.toISOString(),
    voidReason: reason,
    voidedAt: new Date().toISOString(),
  };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.numberClaim(tenantId, branch, pointOfSale, doc.number), ...claim },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      return claimOutcome(
        doc,
        stringAttribute((error as { Item?: Record<string, unknown> }).Item?.documentId),
      );
    }
    throw new DocumentOutcomeUnknownError(doc.number, { cause: error });
  }
  logger.warn('Document number voided', {
    branch,
    pointOfSale,
    number: doc.number,
    reason,
    error: cause as Error,
  });
  metrics.addMetric('DocumentNumberVoided', MetricUnit.Count, 1);
  return 'voided';
}

/** `documentId` of the existing claim returned with a transaction's cancellation. */
function claimHolder(error: unknown): string | undefined {
  const reasons = (error as { CancellationReasons?: Array<{ Item?: Record<string, unknown> }> })
    .CancellationReasons;
  return stringAttribute(reasons?.[CLAIM]?.Item?.documentId);
}

/** A string attribute of an item returned with an error: DynamoDB-typed (`{ S }`) there, or plain. */
function stringAttribute(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const typed = value as { S?: unknown } | undefined;
  return typeof typed?.S === 'string' ? typed.S : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
