import { config } from '#shared/config/config';
import { isId, newId } from '#shared/data/ids';
import { ttlEpochSeconds } from '#shared/data/keys';
import { NotFoundError, ValidationError } from '#shared/errors';
import { presignWorkFileGet } from '#shared/storage/work-files';
import { actorRef, type TenantContext } from '#shared/tenancy/context';
import {
  type CreateExportInput,
  EXPORTABLE_STATUSES,
  type ExportResource,
  MAX_EXPORT_DOCUMENTS,
} from './api.ts';
import { exportFileName } from './entry-names.ts';
import { EXPORT_JOB_TTL_SECONDS, type ExportJob, exportJobs } from './jobs.ts';
import { countPeriodDocuments, periodRange } from './period-documents.ts';
import { enqueueExport } from './queue.ts';

/**
 * Accepts an export: the period's documents are counted first (more than MAX_EXPORT_DOCUMENTS → 422), then
 * the job is stored QUEUED and its message sent. A message that cannot be sent leaves the job FAILED (never
 * QUEUED forever) and the request fails, so the client's retry with its Idempotency-Key makes a new job.
 */
export async function createExport(
  ctx: TenantContext,
  input: CreateExportInput,
  now: Date = new Date(),
): Promise<ExportResource> {
  const range = periodRange(input.from, input.to);
  const statuses = input.status ? [input.status] : EXPORTABLE_STATUSES;
  const total = await countPeriodDocuments(ctx.tenantId, statuses, range, MAX_EXPORT_DOCUMENTS);
  if (total > MAX_EXPORT_DOCUMENTS) {
    throw new ValidationError(
      [
        {
          path: 'to',
          message: `the period holds more than ${MAX_EXPORT_DOCUMENTS} documents; export a shorter one`,
        },
      ],
      `An export holds at most ${MAX_EXPORT_DOCUMENTS} documents`,
      'EXPORT_TOO_LARGE',
    );
  }
  const job: ExportJob = {
    tenantId: ctx.tenantId,
    exportId: newId(now),
    status: 'QUEUED',
    from: input.from,
    to: input.to,
    kinds: input.kinds,
    documentStatus: input.status,
    total,
    done: 0,
    run: 0,
    createdAt: now.toISOString(),
    createdBy: actorRef(ctx.actor),
    updatedAt: now.toISOString(),
    expiresAt: ttlEpochSeconds(now, EXPORT_JOB_TTL_SECONDS),
  };
  await exportJobs.create(job);
  try {
    await enqueueExport({ tenantId: job.tenantId, exportId: job.exportId });
  } catch (error) {
    await exportJobs.fail(job, { code: 'EXPORT_NOT_QUEUED', message: 'The export could not be queued' }, now);
    throw error;
  }
  return toExportResource(job);
}

/** The job; once DONE (and its ZIP not yet expired) with a short-lived download URL of the ZIP. */
export async function getExport(
  ctx: TenantContext,
  exportId: string,
  now: Date = new Date(),
): Promise<ExportResource> {
  const job = isId(exportId) ? await exportJobs.get(ctx.tenantId, exportId) : undefined;
  if (!job) throw new NotFoundError('Export not found', 'EXPORT_NOT_FOUND');
  const resource = toExportResource(job);
  if (job.status === 'DONE' && job.file && Date.parse(job.file.expiresAt) > now.getTime()) {
    if (!job.file.key.startsWith(`tenants/${ctx.tenantId}/`)) {
      // Defence in depth: a job naming a file outside its tenant's prefix is a bug, never served.
      throw new Error(`export ${exportId} names a file outside its tenant prefix`);
    }
    const ttl = config().downloadUrlTtlSeconds;
    const url = await presignWorkFileGet(job.file.key, {
      expiresInSeconds: ttl,
      fileName: exportFileName(job.from, job.to),
      contentType: 'application/zip',
    });
    resource.download = { url, expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
  }
  return resource;
}

function toExportResource(job: ExportJob): ExportResource {
  return {
    id: job.exportId,
    status: job.status,
    from: job.from,
    to: job.to,
    kinds: job.kinds,
    documentStatus: job.documentStatus ?? null,
    progress: { total: job.total, done: job.done },
    createdAt: job.createdAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    failure: job.failure ?? null,
    file: job.file
      ? {
          documents: job.file.documents,
          entries: job.file.entries,
          bytes: job.file.bytes,
          expiresAt: job.file.expiresAt,
        }
      : null,
    download: null,
  };
}
