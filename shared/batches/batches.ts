import { cursorSecret } from '#shared/config/secrets';
import {
  type BatchRecord,
  type BatchRowStatus,
  type BatchStatus,
  batchesRepository,
  rowsFinished,
} from '#shared/data/batches';
import { InvalidCursorError } from '#shared/data/documents';
import { newId } from '#shared/data/ids';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { putWorkFile, workFileKeys } from '#shared/storage/work-files';
import { actorRef, type TenantContext } from '#shared/tenancy/context';
import type { BatchResource, BatchRowResource } from './api.ts';
import { closeBatchIfFinished } from './completion.ts';
import { BatchCsvError, parseBatchCsv } from './csv.ts';
import { type BatchEntry, type BatchInput, entriesOfDocuments } from './entries.ts';
import { enqueueBatchValidation } from './queue.ts';
import { readBatchUpload } from './upload.ts';

export type CreateBatchInput = { documents?: Array<Record<string, unknown>>; uploadId?: string };

/**
 * Accepts a batch: its documents (the JSON array, or the uploaded CSV read into documents, whose structure is
 * checked here: 422 as a whole) are stored in the work-files bucket for the workers, the batch item is written
 * VALIDATING, then its validation is queued. In that order the validator always finds the batch; a request
 * that fails before queuing leaves a batch nobody was told of (the client's retry creates another), never a
 * batch answered 202 whose validation was lost.
 */
export async function createBatch(
  ctx: TenantContext,
  body: CreateBatchInput,
  now: Date = new Date(),
): Promise<BatchResource> {
  const input: BatchInput = body.uploadId
    ? { source: 'csv', entries: csvEntries(await readBatchUpload(ctx.tenantId, body.uploadId)) }
    : { source: 'json', entries: entriesOfDocuments(body.documents ?? []) };

  const batchId = newId(now);
  await putWorkFile(workFileKeys(ctx.tenantId).batchRows(batchId), JSON.stringify(input), 'application/json');

  const batch: BatchRecord = {
    tenantId: ctx.tenantId,
    batchId,
    status: 'VALIDATING',
    source: input.source,
    total: input.entries.length,
    valid: 0,
    invalid: 0,
    issued: 0,
    failed: 0,
    skipped: 0,
    actor: ctx.actor,
    roles: ctx.roles,
    demoOnly: ctx.demoOnly === true,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await batchesRepository.create(batch);
  await enqueueBatchValidation({ tenantId: ctx.tenantId, batchId });
  return toBatchResource(batch);
}

function csvEntries(text: string): BatchEntry[] {
  try {
    return parseBatchCsv(text);
  } catch (error) {
    if (error instanceof BatchCsvError) {
      throw new ValidationError(
        error.details,
        error.tooLarge
          ? 'The batch has too many documents'
          : 'The upload cannot be read as the batch template',
        error.tooLarge ? 'BATCH_TOO_LARGE' : 'BATCH_CSV_INVALID',
      );
    }
    throw error;
  }
}

async function existingBatch(ctx: TenantContext, batchId: string): Promise<BatchRecord> {
  const batch = await batchesRepository.get(ctx.tenantId, batchId);
  if (!batch) throw new NotFoundError('No batch with that id', 'BATCH_NOT_FOUND');
  return batch;
}

export async function getBatch(ctx: TenantContext, batchId: string): Promise<BatchResource> {
  return toBatchResource(await existingBatch(ctx, batchId));
}

/** A page of the tenant's batches, newest first. */
export async function listBatches(
  ctx: TenantContext,
  query: { status?: BatchStatus; limit: number; cursor?: string },
): Promise<{ items: BatchResource[]; nextCursor: string | null }> {
  const page = await withCursor(async () =>
    batchesRepository.list(
      ctx.tenantId,
      { status: query.status },
      { limit: query.limit, cursor: query.cursor, cursorSecret: await cursorSecret() },
    ),
  );
  return { items: page.batches.map(toBatchResource), nextCursor: page.nextCursor ?? null };
}

/** A listing's page; a cursor that does not open for it is the client's 400. */
async function withCursor<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    }
    throw error;
  }
}

/** A page of rows, each with its document's current status (one BatchGetItem for the page). */
export async function listBatchRows(
  ctx: TenantContext,
  batchId: string,
  query: { status?: BatchRowStatus; limit: number; cursor?: string },
): Promise<{ items: BatchRowResource[]; nextCursor: string | null }> {
  await existingBatch(ctx, batchId);
  const page = await withCursor(async () =>
    batchesRepository.listRows(
      ctx.tenantId,
      batchId,
      { status: query.status },
      { limit: query.limit, cursor: query.cursor, cursorSecret: await cursorSecret() },
    ),
  );
  const documentIds = page.rows.flatMap((row) => (row.documentId ? [row.documentId] : []));
  const statuses = await batchesRepository.documentStatuses(ctx.tenantId, documentIds);
  return {
    items: page.rows.map((row) => ({
      row: row.row,
      reference: row.reference,
      status: row.status,
      documentId: row.documentId ?? null,
      number: row.number ?? null,
      documentStatus: (row.documentId && statuses.get(row.documentId)) || null,
      errors: row.errors ?? [],
    })),
    nextCursor: page.nextCursor ?? null,
  };
}

/** Stops a batch: the workers skip every row they have not started. A cancelled batch answers as it is. */
export async function cancelBatch(
  ctx: TenantContext,
  batchId: string,
  now: Date = new Date(),
): Promise<BatchResource> {
  const cancelled = await batchesRepository.cancel(ctx.tenantId, batchId, now);
  if (cancelled) {
    // Every row may have ended already (a batch of only invalid rows): close it now, no worker will.
    await closeBatchIfFinished(ctx.tenantId, batchId, now);
    return toBatchResource((await batchesRepository.get(ctx.tenantId, batchId, true)) ?? cancelled);
  }
  const batch = await existingBatch(ctx, batchId);
  if (batch.status === 'CANCELLED') return toBatchResource(batch);
  throw new ConflictError('The batch has finished; nothing is left to cancel', 'BATCH_FINISHED');
}

export function toBatchResource(batch: BatchRecord): BatchResource {
  const finished = rowsFinished(batch);
  return {
    id: batch.batchId,
    status: batch.status,
    source: batch.source,
    total: batch.total,
    counts: {
      valid: batch.valid,
      invalid: batch.invalid,
      pending: Math.max(0, batch.total - finished),
      issued: batch.issued,
      failed: batch.failed,
      skipped: batch.skipped,
    },
    progress: batch.total === 0 ? 1 : Math.min(1, finished / batch.total),
    createdBy: actorRef(batch.actor),
    createdAt: batch.createdAt,
    updatedAt: batch.updatedAt,
    finishedAt: batch.finishedAt ?? null,
  };
}
