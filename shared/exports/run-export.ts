import { logger } from '#shared/observability/logger';
import { getObjectBytes } from '#shared/storage/s3';
import { uploadWorkFileStream } from '#shared/storage/work-file-upload';
import { workFileKeys } from '#shared/storage/work-files';
import { EXPORTABLE_STATUSES, type ExportKind, MAX_EXPORT_DOCUMENTS, MAX_EXPORT_RUNS } from './api.ts';
import { entryName } from './entry-names.ts';
import { type ExportJob, ExportRunSupersededError, exportJobs } from './jobs.ts';
import {
  countPeriodDocuments,
  type ExportedDocument,
  periodDocuments,
  periodRange,
} from './period-documents.ts';
import type { ExportMessage } from './queue.ts';
import { type ZipEntry, zipWriter } from './zip-writer.ts';

/** How long the work-files bucket keeps an object (its lifecycle rule: infra/constructs/work-files-bucket.ts). */
export const WORK_FILE_LIFETIME_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs an export job, as its tenant: counts the period again (documents may have been issued since it was
 * accepted), then streams every document's files into a ZIP that is uploaded part by part to the work-files
 * bucket, recording progress every page of documents. Every run starts from scratch and overwrites the same
 * key, so a redelivered message after a dead run simply redoes the job; a run that finds another run owning
 * the job stops. A job already DONE or FAILED is left alone.
 */
export async function runExport(message: ExportMessage, clock: () => Date = () => new Date()): Promise<void> {
  const job = await exportJobs.startRun(message.tenantId, message.exportId, clock());
  if (!job) {
    logger.info('Export already finished', { exportId: message.exportId });
    return;
  }
  if (job.run > MAX_EXPORT_RUNS) {
    await exportJobs.fail(
      job,
      { code: 'EXPORT_RUNS_EXHAUSTED', message: `The export did not finish in ${MAX_EXPORT_RUNS} runs` },
      clock(),
    );
    return;
  }
  const statuses = job.documentStatus ? [job.documentStatus] : EXPORTABLE_STATUSES;
  const range = periodRange(job.from, job.to);
  const total = await countPeriodDocuments(job.tenantId, statuses, range, MAX_EXPORT_DOCUMENTS);
  if (total > MAX_EXPORT_DOCUMENTS) {
    await exportJobs.fail(
      job,
      {
        code: 'EXPORT_TOO_LARGE',
        message: `The period now holds more than ${MAX_EXPORT_DOCUMENTS} documents; export a shorter one`,
      },
      clock(),
    );
    return;
  }
  await exportJobs.recordProgress(job, { total, done: 0 }, clock());

  const key = workFileKeys(job.tenantId).exportZip(job.exportId);
  const zip = zipWriter((archive) => uploadWorkFileStream(key, archive, { contentType: 'application/zip' }));
  let done = 0;
  let documents = 0;
  let entries = 0;
  try {
    for await (const page of periodDocuments(job.tenantId, statuses, range)) {
      // The next document's files are fetched while the current one's are compressed and uploaded.
      let next = filesOf(job, page[0]!);
      for (let i = 0; i < page.length; i++) {
        const files = await next;
        if (i + 1 < page.length) {
          next = filesOf(job, page[i + 1]!);
          next.catch(() => {});
        }
        done++;
        if (files.length === 0) continue;
        await zip.add(files);
        documents++;
        entries += files.length;
      }
      await exportJobs.recordProgress(job, { done }, clock());
    }
    const uploaded = await zip.end();
    const finishedAt = clock();
    await exportJobs.finish(
      job,
      {
        key,
        documents,
        entries,
        bytes: uploaded.bytes,
        expiresAt: new Date(finishedAt.getTime() + WORK_FILE_LIFETIME_DAYS * DAY_MS).toISOString(),
      },
      finishedAt,
    );
    logger.info('Export done', { exportId: job.exportId, documents, entries, bytes: uploaded.bytes });
  } catch (error) {
    await zip.abort(error as Error);
    if (error instanceof ExportRunSupersededError) {
      logger.warn('Export run superseded by a later run', { exportId: job.exportId, run: job.run });
      return;
    }
    if (isMissingObject(error)) {
      // An archived file is gone: every later run would stop at the same document.
      await exportJobs.fail(
        job,
        { code: 'EXPORT_FILE_MISSING', message: 'A document’s archived file could not be found' },
        clock(),
      );
      logger.error('Export failed: archived file missing', { exportId: job.exportId, error: error as Error });
      return;
    }
    throw error;
  }
}

/** The document's files as ZIP entries (none when it has no archived files). */
async function filesOf(job: ExportJob, document: ExportedDocument): Promise<ZipEntry[]> {
  const artifacts = document.artifacts;
  if (!artifacts) return [];
  const mtime = new Date(document.issuedAt);
  return Promise.all(
    job.kinds.map(async (kind: ExportKind) => {
      const objectKey = kind === 'xml' ? artifacts.xmlKey : artifacts.pdfKey;
      if (!objectKey.startsWith(`tenants/${job.tenantId}/`)) {
        // Defence in depth: an item naming an object outside its tenant's prefix is a bug, never exported.
        throw new Error(`document ${document.documentId} names an object outside its tenant prefix`);
      }
      return {
        name: entryName(document, kind),
        content: await getObjectBytes(objectKey),
        mtime,
        compress: kind === 'xml',
      };
    }),
  );
}

function isMissingObject(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'NoSuchKey';
}
