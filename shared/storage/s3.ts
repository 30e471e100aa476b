import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#shared/config/config';
import { scopedClient } from '#shared/tenancy/tenant-clients';

let own: S3Client | undefined;

/**
 * The S3 client of the current tenant scope (see shared/tenancy/tenant-scope.ts); tenant clients reuse the
 * function's own client's HTTP handler. Default configuration so `AWS_ENDPOINT_URL_S3` applies. Checksums
 * only when required: since SDK v3.729 default checksums break presigned GETs and make local S3 emulators
 * store streamed uploads corrupted. Path-style addressing is switched on by the local cloud
 * (`S3_FORCE_PATH_STYLE=true`).
 */
export function s3Client(): S3Client {
  return scopedClient('s3', (credentials) => {
    const options = {
      forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    } as const;
    own ??= new S3Client(options);
    return credentials
      ? new S3Client({ ...options, credentials, requestHandler: own.config.requestHandler })
      : own;
  });
}

export async function putObject(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: config().documentsBucketName,
      Key: key,
      Body: body,
      ContentType: contentType,
    }),
  );
}

export async function getObjectBytes(key: string): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: config().documentsBucketName, Key: key }));
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
  options: { expiresInSeconds: number; fileName?: string; contentType?: string },
): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: config().documentsBucketName,
    Key: key,
    ResponseContentDisposition: options.fileName ? `attachment; filename="${options.fileName}"` : undefined,
    ResponseContentType: options.contentType,
  });
  return getSignedUrl(s3Client(), command, { expiresIn: options.expiresInSeconds });
}
