import { config } from '#shared/config/config';
import { getObjectBytes, presignGet, presignPut, putObject } from './s3.ts';

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

const bucket = () => config().workFilesBucketName;

export const putWorkFile = (key: string, body: string | Uint8Array, contentType: string) =>
  putObject(key, body, contentType, bucket());

export const getWorkFileBytes = (key: string) => getObjectBytes(key, bucket());

/** A presigned GET of a work file, downloaded as `fileName`. */
export const presignWorkFileGet = (
  key: string,
  options: { expiresInSeconds: number; fileName: string; contentType: string },
) => presignGet(key, { ...options, bucket: bucket() });

/** A presigned PUT for a client's upload (the content type is signed: the upload must send exactly it). */
export const presignWorkFilePut = (key: string, options: { expiresInSeconds: number; contentType: string }) =>
  presignPut(key, { ...options, bucket: bucket() });
