import { now } from '#shared/clock';
import { type BatchRowError, batchesRepository } from '#shared/data/batches';
import {
  bodyHash,
  type IdempotencyScope,
  idempotencyRepository,
  type ReplayedResponse,
} from '#shared/data/idempotency';
import { issueDocument } from '#shared/documents/issue';
import { ConflictError, DomainError, ValidationError } from '#shared/errors';
import { getWorkFileBytes, workFileKeys } from '#shared/storage/work-files';
import type { TenantContext } from '#shared/tenancy/context';
import { closeBatchIfFinished } from './completion.ts';
import type { BatchInput } from './entries.ts';
import type { BatchIssueMessage } from './queue.ts';
import { lineOfPath } from './template.ts';
import { STORED_ROW_ERRORS } from './validate.ts';

/**
 * The idempotency operation of a batch row: its key is `batch:<id>:<reference>`, so a row issued once returns
 * its document however often its message comes back; distinct from POST /v1/documents' own keys.
 */
export const BATCH_ROW_OPERATION = 'issueBatchRow';

/**
 * How long a row's claim holds its key: more than issuing one document takes (a few seconds at worst), less
 * than the queue's visibility timeout, so a redelivery never finds it held by a live worker.
 */
const ROW_CLAIM_MS = 60_000;

/** A refusal that is the row's, not a passing fault: the row ends FAILED with it instead of being retried. */
const TRANSIENT_CODES = new Set(['NUMBER_CONTENTION', 'IDEMPOTENCY_KEY_IN_PROGRESS']);

// One container works on one batch's messages at a time, mostly: its input is read once, not per message.
let cached: { key: string; input: BatchInput } | undefined;

async function batchInput(tenantId: string, batchId: string): Promise<BatchInput> {
  const key = workFileKeys(tenantId).batchRows(batchId);
  if (cached?.key !== key) {
    const bytes = await getWorkFileBytes(key);
    cached = { key, input: JSON.parse(Buffer.from(bytes).toString('utf8')) as BatchInput };
  }
  return cached.input;
}

/** Issues a message's rows one after the other (the concurrency of the queue's consumer bounds the rate). */
export async function issueBatchRows(message: BatchIssueMessage): Promise<void> {
  for (const row of message.rows) await issueRow(message.tenantId, message.batchId, row);
}

async function issueRow(tenantId: string, batchId: string, rowNumber: number): Promise<void> {
  const rowKey = { tenantId, batchId, row: rowNumber };
  const row = await batchesRepository.getRow(tenantId, batchId, rowNumber);
  if (row?.status !== 'VALID') {
    // Ended by an earlier delivery of this message, whose worker may have died before closing the batch or
    // publishing its completion: both are done at most once, so this delivery finishes the job.
    if (row && row.status !== 'INVALID') await closeBatchIfFinished(tenantId, batchId, now());
    return;
  }
  const batch = await batchesRepository.get(tenantId, batchId, true);
  if (!batch) throw new Error(`batch ${batchId} of row ${rowNumber} is missing`);
  const finish = async (...args: Parameters<typeof finishAs>) => {
    if (await finishAs(...args)) await closeBatchIfFinished(tenantId, batchId, now());
  };
  const finishAs = (
    status: 'ISSUED' | 'FAILED' | 'SKIPPED',
    fields: { documentId?: string; number?: string; errors?: BatchRowError[] } = {},
  ) => batchesRepository.finishRow(rowKey, status, fields, now());

  if (batch.status === 'CANCELLED') return finish('SKIPPED');

  const entry = (await batchInput(tenantId, batchId)).entries[rowNumber - 1];
  if (!entry) throw new Error(`row ${rowNumber} is not in batch ${batchId}'s input`);
  const scope: IdempotencyScope = {
    tenantId,
    operation: BATCH_ROW_OPERATION,
    key: `batch:${batchId}:${entry.reference}`,
    bodyHash: bodyHash(entry.input),
  };
  const outcome = await idempotencyRepository.claim(scope, { lockMs: ROW_CLAIM_MS });
  if (outcome.kind === 'replay') return finish('ISSUED', issuedBefore(outcome.response));
  if (outcome.kind !== 'claimed') {
    // In progress (another delivery holds it) or, impossibly, another body under the row's key: try later.
    throw new Error(`row ${rowNumber} of batch ${batchId} is held (${outcome.kind}); retried later`);
  }

  const ctx: TenantContext = {
    tenantId,
    actor: batch.actor,
    roles: batch.roles,
    ...(batch.demoOnly && { demoOnly: true as const }),
  };
  try {
    const doc = await issueDocument(ctx, entry.input, {
      idempotency: {
        scope: outcome.claim,
        storedResponse: (created) => ({
          statusCode: 202,
          headers: {},
          body: JSON.stringify({ id: created.id, number: created.number }),
          resourceId: created.id,
        }),
      },
    });
    return finish('ISSUED', { documentId: doc.id, number: doc.number });
  } catch (error) {
    await idempotencyRepository.release(outcome.claim).catch(() => false);
    const lines = entry.lines;
    const refusal = rowRefusal(error, (path) => (lines ? lineOfPath(path, lines) : rowNumber));
    if (refusal) return finish('FAILED', { errors: refusal });
    throw error;
  }
}

/** The document a replayed row created (its stored response, or its reference when that was too large). */
function issuedBefore(response: ReplayedResponse): { documentId: string; number?: string } {
  if ('body' in response) {
    const body = JSON.parse(response.body) as { id: string; number?: string };
    return { documentId: body.id, ...(body.number && { number: body.number }) };
  }
  if (!response.resourceId) throw new Error('a replayed batch row names no document');
  return { documentId: response.resourceId };
}

/**
 * Why issuing refused the row, as row errors: its document no longer passes (the company's settings changed
 * since the validation), no folios left, a configuration missing. Undefined for faults worth a retry.
 */
function rowRefusal(error: unknown, rowOf: (path: string) => number): BatchRowError[] | undefined {
  if (!(error instanceof DomainError) || TRANSIENT_CODES.has(error.code)) return undefined;
  if (error instanceof ValidationError) {
    return error.details.slice(0, STORED_ROW_ERRORS).map((detail) => ({
      row: rowOf(detail.path),
      path: detail.path,
      message: detail.message,
      code: detail.code ?? error.code,
    }));
  }
  if (error instanceof ConflictError && error.retryAfterSeconds === undefined) {
    return [{ row: rowOf('(document)'), path: '(document)', message: error.message, code: error.code }];
  }
  return undefined;
}
