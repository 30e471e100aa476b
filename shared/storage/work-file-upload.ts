import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { config } from '#shared/config/config';
import { logger } from '#shared/observability/logger';
import { s3Client } from './s3.ts';

/** Bytes per part: S3's minimum is 5 MiB (but for the last part); memory holds one part at a time. */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

/**
 * Streams `body` into the work-files bucket at `key` as a multipart upload, one part at a time, so an object of
 * any size passes through a bounded amount of memory. Each part carries a CRC32 checksum, and S3 checks the
 * whole against the parts' on completion. On any failure the upload is aborted (the bucket's lifecycle also
 * cleans up incomplete uploads after a day), and the object at `key`, if any, is left as it was.
 */
export async function uploadWorkFileStream(
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: { contentType: string; partBytes?: number },
): Promise<{ bytes: number; parts: number }> {
  const partBytes = options.partBytes ?? UPLOAD_PART_BYTES;
  const bucket = config().workFilesBucketName;
  const s3 = s3Client();
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: options.contentType,
      ChecksumAlgorithm: 'CRC32',
    }),
  );
  if (!UploadId) throw new Error(`S3 returned no upload id for ${key}`);
  const parts: CompletedPart[] = [];
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let bytes = 0;
  const uploadPart = async () => {
    const partNumber = parts.length + 1;
    const out = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: partNumber,
        Body: Buffer.concat(chunks, buffered),
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    parts.push({ PartNumber: partNumber, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
    chunks = [];
    buffered = 0;
  };
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      buffered += chunk.byteLength;
      bytes += chunk.byteLength;
      if (buffered >= partBytes) await uploadPart();
    }
    // The last part may be small; an empty body is one empty part (S3 needs at least one).
    if (buffered > 0 || parts.length === 0) await uploadPart();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return { bytes, parts: parts.length };
  } catch (error) {
    try {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    } catch (abortError) {
      logger.warn('Multipart upload not aborted (the lifecycle rule removes it)', {
        key,
        error: abortError as Error,
      });
    }
    throw error;
  }
}
