import type { BatchRecord, BatchRowError, BatchRowRecord } from '#shared/data/batches';
import { batchesRepository } from '#shared/data/batches';
import { tenantsRepository } from '#shared/data/tenants';
import { preflight } from '#shared/documents/preflight';
import { logger } from '#shared/observability/logger';
import { getWorkFileBytes, workFileKeys } from '#shared/storage/work-files';
import { closeBatchIfFinished } from './completion.ts';
import type { BatchEntry, BatchInput } from './entries.ts';
import { type BatchValidationMessage, enqueueBatchRows } from './queue.ts';
import { columnOfPath, lineOfPath } from './template.ts';

/** Rows pre-flighted at once: each may wait on DynamoDB (settings, RUC cache) or HKA (ConsultarRucDV). */
const PREFLIGHT_CONCURRENCY = 8;

/** Errors kept on a row: enough to fix it; bounded so a 1,000-item document stays far below 400 KB. */
export const STORED_ROW_ERRORS = 50;

/**
 * Pre-flights every row of a batch with the same checks as POST /v1/documents, writes the row items (VALID or
 * INVALID with its errors), counts them on the batch, and queues the valid rows for issuing. Safe to run
 * again: a batch already past VALIDATING only has its still-VALID rows queued again (issuing is idempotent).
 */
export async function validateBatch(message: BatchValidationMessage, now: Date = new Date()): Promise<void> {
  const { tenantId, batchId } = message;
  const batch = await batchesRepository.get(tenantId, batchId, true);
  // Written before its message is sent: absent, there is nothing to validate.
  if (!batch) {
    logger.warn('Batch validation dropped: no such batch', { batchId });
    return;
  }
  if (batch.status === 'DONE') return;
  const validated = batch.status !== 'VALIDATING' && batch.valid + batch.invalid > 0;
  const validRows = validated
    ? await batchesRepository.validRowNumbers(tenantId, batchId)
    : await validateRows(batch, now);
  await enqueueBatchRows(tenantId, batchId, validRows);
}

async function validateRows(batch: BatchRecord, now: Date): Promise<number[]> {
  const { tenantId, batchId } = batch;
  const bytes = await getWorkFileBytes(workFileKeys(tenantId).batchRows(batchId));
  const input = JSON.parse(Buffer.from(bytes).toString('utf8')) as BatchInput;
  const tenantSettings = await tenantsRepository.getIssuingSettings(tenantId);
  // As issuing does for a test API key: its documents are checked against HKA's demo environment.
  const settings = batch.demoOnly ? { ...tenantSettings, environment: 'demo' as const } : tenantSettings;
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  input.entries.forEach((entry, index) => {
    if (seen.has(entry.reference)) duplicates.add(index);
    seen.add(entry.reference);
  });

  const checkRow = async (entry: BatchEntry, index: number, keepReceiver: boolean) => {
    const row = index + 1;
    const errors: BatchRowError[] = duplicates.has(index)
      ? [
          {
            row: entry.lines?.first ?? row,
            path: 'reference',
            message: `another row of the batch has the reference "${entry.reference}"`,
            code: 'DUPLICATE_REFERENCE',
          },
        ]
      : (entry.errors ?? []);
    if (errors.length === 0) {
      const outcome = await preflight(tenantId, entry.input, settings, now);
      errors.push(...outcome.errors.map((finding) => rowErrorOf(entry, row, finding)));
      if (keepReceiver && errors.length === 0) await outcome.remember();
    }
    const record: BatchRowRecord = {
      tenantId,
      batchId,
      row,
      reference: entry.reference,
      status: errors.length === 0 ? 'VALID' : 'INVALID',
      ...(errors.length > 0 && { errors: boundedErrors(errors) }),
      updatedAt: now.toISOString(),
    };
    return record;
  };
  // The first row of each receiver first, keeping HKA's answer about it as issuing would: the batch's other
  // rows for the same receiver then read it from the cache instead of asking HKA (ConsultarRucDV) each time.
  const firsts = new Map<string, number>();
  input.entries.forEach((entry, index) => {
    const receiver = receiverKey(entry);
    if (receiver !== undefined && !firsts.has(receiver)) firsts.set(receiver, index);
  });
  const leading = new Set(firsts.values());
  const rows = new Array<BatchRowRecord>(input.entries.length);
  await mapConcurrently([...leading], PREFLIGHT_CONCURRENCY, async (index) => {
    rows[index] = await checkRow(input.entries[index]!, index, true);
  });
  const others = input.entries.flatMap((_, index) => (leading.has(index) ? [] : [index]));
  await mapConcurrently(others, PREFLIGHT_CONCURRENCY, async (index) => {
    rows[index] = await checkRow(input.entries[index]!, index, false);
  });
  await batchesRepository.putRows(rows);
  const valid = rows.filter((row) => row.status === 'VALID').map((row) => row.row);
  const status = await batchesRepository.validated(
    tenantId,
    batchId,
    { valid: valid.length, invalid: rows.length - valid.length },
    now,
  );
  // Cancelled meanwhile (no worker may close it), or closed by the validation (no valid row): its completion is
  // published here — once, however often this message comes back.
  if (status === 'CANCELLED' || status === 'DONE') await closeBatchIfFinished(tenantId, batchId, now);
  return valid;
}

/** Which receiver HKA would be asked about (type and RUC as given), if any. */
function receiverKey(entry: BatchEntry): string | undefined {
  const receiver = entry.input.receiver as { rucType?: unknown; ruc?: unknown } | undefined;
  if (!receiver || typeof receiver.ruc !== 'string') return undefined;
  return `${String(receiver.rucType)}#${receiver.ruc.trim().toUpperCase()}`;
}

/** A finding as a row error: the JSON row, or the CSV line of the item (or document) it names, and its column. */
function rowErrorOf(
  entry: BatchEntry,
  row: number,
  finding: { path: string; message: string; code: string },
): BatchRowError {
  const column = entry.lines ? columnOfPath(finding.path) : undefined;
  return {
    row: entry.lines ? lineOfPath(finding.path, entry.lines) : row,
    path: finding.path,
    message: finding.message,
    code: finding.code,
    ...(column !== undefined && { column }),
  };
}

function boundedErrors(errors: BatchRowError[]): BatchRowError[] {
  if (errors.length <= STORED_ROW_ERRORS) return errors;
  const left = errors.length - STORED_ROW_ERRORS;
  return [
    ...errors.slice(0, STORED_ROW_ERRORS),
    {
      row: errors[0]!.row,
      path: '(document)',
      message: `${left} more error${left === 1 ? '' : 's'}; POST /v1/documents/validate lists them all`,
      code: 'MORE_ERRORS',
    },
  ];
}

/** `work` over every item, at most `limit` at a time; results in the items' order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
