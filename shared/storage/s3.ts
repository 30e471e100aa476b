import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';

let client: S3Client | undefined;

/**
 * Default configuration so `AWS_ENDPOINT_URL_S3` applies. Checksums only when required: since SDK v3.729
 * default checksums break presigned GETs and make local S3 emulators store streamed uploads corrupted.
 * Path-style addressing is switched on by the local cloud (`S3_FORCE_PATH_STYLE=true`).
 */
export function s3Client(): S3Client {
  client ??= tracer.captureAWSv3Client(
    new S3Client({
      forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return client;
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
