import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#shared/config/config';
import { s3Client, s3PresigningClient } from './s3.ts';

/**
 * The work-files bucket (infra/constructs/work-files-bucket.ts): drafts, exports and uploads that expire after
 * a few days. Keys come from `workFileKeys` only, built from ids the server has checked belong to the caller.
 */
export const workFileKeys = (tenantId: string) => {
  const prefix = `tenants/${tenantId}`;
  return {
    /** A draft CAFE (`POST /v1/documents/preview`). */
    preview: (previewId: string) => `${prefix}/previews/${previewId}.pdf`,
    /** The ZIP of an export job. */
    exportZip: (exportId: string) => `${prefix}/exports/${exportId}.zip`,
    /** A bulk-issuing file as the client uploaded it through a presigned PUT. */
    batchUpload: (uploadId: string) => `${prefix}/batch-uploads/${uploadId}`,
    /** The documents of a batch, as accepted (rows parsed), for the workers to read. */
    batchRows: (batchId: string) => `${prefix}/batches/${batchId}/rows.json`,
    /** A report rendered as a file (CSV, XLSX), fetched through a presigned GET. */
    report: (reportId: string, extension: 'csv' | 'xlsx') => `${prefix}/reports/${reportId}.${extension}`,
  };
};

export async function putWorkFile(
  key: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: config().workFilesBucketName,
      Key: key,
      Body: body,
      ContentType: contentType,
      ChecksumAlgorithm: 'CRC32',
    }),
  );
}

export async function getWorkFileBytes(key: string): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: config().workFilesBucketName, Key: key }));
  if (!out.Body) throw new Error(`work file ${key} has no body`);
  return out.Body.transformToByteArray();
}

/** A presigned GET of a work file, downloaded as `fileName`. */
export async function presignWorkFileGet(
  key: string,
  options: { expiresInSeconds: number; fileName: string; contentType: string },
): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: config().workFilesBucketName,
    Key: key,
    ResponseContentDisposition: `attachment; filename="${options.fileName}"`,
    ResponseContentType: options.contentType,
  });
  return getSignedUrl(s3PresigningClient(), command, { expiresIn: options.expiresInSeconds });
}

/**
 * A presigned PUT for a client's upload. The content type is signed, so the upload must send exactly it; S3
 * needs no checksum here (no Object Lock on this bucket).
 */
export async function presignWorkFilePut(
  key: string,
  options: { expiresInSeconds: number; contentType: string },
): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: config().workFilesBucketName,
    Key: key,
    ContentType: options.contentType,
  });
  return getSignedUrl(s3PresigningClient(), command, { expiresIn: options.expiresInSeconds });
}
