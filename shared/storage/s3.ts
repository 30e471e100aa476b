import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';
import { scopedClient } from '#shared/tenancy/tenant-clients';

let own: S3Client | undefined;
let ownPresigning: S3Client | undefined;

/**
 * The S3 client of the current tenant scope (see shared/tenancy/tenant-scope.ts); tenant clients reuse the
 * function's own client's HTTP handler. The SDK's default configuration, so `AWS_ENDPOINT_URL_S3` applies and
 * checksums stay on: the documents bucket has Object Lock, and S3 refuses a PutObject there without an
 * integrity checksum. Path-style addressing is switched on by the local cloud (`S3_FORCE_PATH_STYLE=true`).
 */
export function s3Client(): S3Client {
  return scopedClient('s3', (credentials) => {
    const options = { forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' };
    own ??= tracer.captureAWSv3Client(new S3Client(options));
    return credentials
      ? tracer.captureAWSv3Client(
          new S3Client({ ...options, credentials, requestHandler: own.config.requestHandler }),
        )
      : own;
  });
}

/**
 * For presigning only, in the same tenant scope (a download URL is signed with the tenant's session). Since
 * SDK v3.729 the default checksum settings put `x-amz-checksum-mode` (GET) and checksum values computed over an
 * empty body into the signed query string; WHEN_REQUIRED keeps a download URL to what S3 needs, and a URL is
 * never sent through the SDK anyway.
 */
function s3PresigningClient(): S3Client {
  return scopedClient('s3-presigning', (credentials) => {
    const options = {
      forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    } as const;
    ownPresigning ??= new S3Client(options);
    return credentials ? new S3Client({ ...options, credentials }) : ownPresigning;
  });
}

/**
 * Stores an object with a CRC32 checksum, computed in memory from the string/bytes body and sent as the
 * `x-amz-checksum-crc32` header (no aws-chunked streaming). Object Lock makes S3 require it; it also lets S3
 * refuse a body corrupted in transit.
 */
export async function putObject(
  key: string,
  body: string | Uint8Array,
  contentType: string,
  bucket: string = config().documentsBucketName,
): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ChecksumAlgorithm: 'CRC32',
    }),
  );
}

export async function getObjectBytes(
  key: string,
  bucket: string = config().documentsBucketName,
): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`object ${key} has no body`);
  return out.Body.transformToByteArray();
}

export async function getObjectText(key: string): Promise<string> {
  return Buffer.from(await getObjectBytes(key)).toString('utf8');
}

export async function getObjectJson<T>(key: string): Promise<T> {
  return JSON.parse(await getObjectText(key)) as T;
}

/** A presigned GET; the caller chooses nothing but which of the server's keys (see documentObjectKeys). */
export async function presignGet(
  key: string,
  options: { expiresInSeconds: number; fileName?: string; contentType?: string; bucket?: string },
): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: options.bucket ?? config().documentsBucketName,
    Key: key,
    ResponseContentDisposition: options.fileName ? `attachment; filename="${options.fileName}"` : undefined,
    ResponseContentType: options.contentType,
  });
  return getSignedUrl(s3PresigningClient(), command, { expiresIn: options.expiresInSeconds });
}

/**
 * A presigned PUT for a client's upload. The content type is signed, so the upload must send exactly it; no
 * checksum is signed (the client's body is unknown here), so this is only for buckets without Object Lock.
 */
export async function presignPut(
  key: string,
  options: { expiresInSeconds: number; contentType: string; bucket: string },
): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: options.bucket,
    Key: key,
    ContentType: options.contentType,
  });
  return getSignedUrl(s3PresigningClient(), command, { expiresIn: options.expiresInSeconds });
}
