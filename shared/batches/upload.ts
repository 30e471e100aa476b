import { GetObjectCommand } from '@aws-sdk/client-s3';
import { config } from '#shared/config/config';
import { newId } from '#shared/data/ids';
import { NotFoundError, ValidationError } from '#shared/errors';
import { s3Client } from '#shared/storage/s3';
import { presignWorkFilePut, workFileKeys } from '#shared/storage/work-files';
import type { TenantContext } from '#shared/tenancy/context';
import { MAX_BATCH_UPLOAD_BYTES } from './entries.ts';

/** Long enough to upload 10 MiB on a slow line; short, as presigned URLs should be. */
const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const BATCH_UPLOAD_CONTENT_TYPE = 'text/csv';

/** A presigned PUT into the tenant's uploads of the work-files bucket; nothing is stored until the client PUTs. */
export async function createBatchUpload(ctx: TenantContext, now: Date = new Date()) {
  const uploadId = newId(now);
  const url = await presignWorkFilePut(workFileKeys(ctx.tenantId).batchUpload(uploadId), {
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
    contentType: BATCH_UPLOAD_CONTENT_TYPE,
  });
  return {
    uploadId,
    url,
    expiresAt: new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
    contentType: BATCH_UPLOAD_CONTENT_TYPE,
  };
}

/**
 * The uploaded CSV as text: 404 when nothing was uploaded under that id (for this tenant: the key is under
 * its own prefix), 422 when it is larger than the limit (checked on the object's length, before reading it)
 * or is not UTF-8.
 */
export async function readBatchUpload(tenantId: string, uploadId: string): Promise<string> {
  const out = await s3Client()
    .send(
      new GetObjectCommand({
        Bucket: config().workFilesBucketName,
        Key: workFileKeys(tenantId).batchUpload(uploadId),
      }),
    )
    .catch((error: unknown) => {
      if ((error as Error).name === 'NoSuchKey') {
        throw new NotFoundError('Nothing was uploaded with that uploadId', 'BATCH_UPLOAD_NOT_FOUND');
      }
      throw error;
    });
  const body = out.Body as (typeof out.Body & { destroy?: () => void }) | undefined;
  if ((out.ContentLength ?? 0) > MAX_BATCH_UPLOAD_BYTES) {
    body?.destroy?.();
    throw new ValidationError(
      [{ path: 'uploadId', message: `the upload is larger than ${MAX_BATCH_UPLOAD_BYTES} bytes` }],
      'The upload is too large',
      'BATCH_TOO_LARGE',
    );
  }
  if (!body) throw new Error(`batch upload ${uploadId} has no body`);
  const bytes = await body.transformToByteArray();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(
      [{ path: 'uploadId', message: 'the file is not UTF-8 text (save the CSV as UTF-8)' }],
      'The upload cannot be read as the batch template',
      'BATCH_CSV_INVALID',
    );
  }
}
