import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { CREDENTIALS } from '../aws.ts';
import { checkPresignedSignature } from './s3-presigned.ts';
import { checkUploadIntegrity, type Headers, type ObjectLockSettings } from './s3-upload-integrity.ts';

export type S3Local = {
  url: string;
  /** Declares a bucket's Object Lock settings (from the template): its uploads must then carry a checksum. */
  setObjectLock(bucket: string, settings: ObjectLockSettings): void;
  stop(): Promise<void>;
};

/** The part of Koa's context the fronts use (s3rver is a Koa app). */
type KoaContext = {
  method: string;
  originalUrl: string;
  req: NodeJS.ReadableStream & { headers: Headers };
  request: { headers: Headers };
  status: number;
  type: string;
  body: unknown;
};

/**
 * s3rver with data under `directory` (persists across runs), behind two fronts that make it refuse what S3
 * refuses. Clients sign with the dummy credentials s3rver knows (see aws.ts). s3rver checks a presigned URL's
 * expiry but not its SigV4 signature (`s3-presigned.ts` does), and it neither requires nor verifies upload
 * checksums (`s3-upload-integrity.ts` does: Object Lock buckets need one, every supplied one must match).
 */
export async function startS3Local({
  port,
  directory,
}: {
  port: number;
  directory: string;
}): Promise<S3Local> {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, vhostBuckets: false });
  const secrets = new Map<string, string>([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]);
  const objectLock = new Map<string, ObjectLockSettings>();

  const presignedSignature = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const refused = checkPresignedSignature(
      { method: ctx.method, rawUrl: ctx.originalUrl, headers: ctx.req.headers },
      (accessKeyId) => secrets.get(accessKeyId),
    );
    if (!refused) return next();
    s3Error(
      ctx,
      403,
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided (${refused}).`,
    );
  };

  const uploadIntegrity = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const upload = uploadTarget(ctx);
    if (!upload) return next();
    const verdict = await checkUploadIntegrity(upload.headers, objectLock.get(upload.bucket), () =>
      readAll(ctx.req),
    );
    if (!verdict.ok) {
      // Let the client finish sending: answering mid-upload would break its connection instead.
      ctx.req.resume();
      return s3Error(ctx, 400, verdict.code, verdict.message);
    }
    if (verdict.payload) {
      // The body was consumed to verify it: s3rver stores what is handed to it here (decoded if it was
      // aws-chunked), described by the matching headers.
      ctx.request.headers = verdict.headers ?? ctx.request.headers;
      ctx.req = Object.assign(Readable.from([verdict.payload], { objectMode: false }), {
        headers: ctx.request.headers,
      });
    }
    return next();
  };

  // Koa keeps its middleware in order of `use`; the fronts must run before s3rver's router answers.
  (server as unknown as { middleware: unknown[] }).middleware.splice(
    1,
    0,
    presignedSignature,
    uploadIntegrity,
  );
  await server.run();
  return {
    url: `http://127.0.0.1:${port}`,
    setObjectLock: (bucket, settings) => objectLock.set(bucket, settings),
    stop: () => server.close(),
  };
}

const UPLOAD_PARAMETERS = new Set(['x-id', 'partNumber', 'uploadId']);

/**
 * The bucket and the effective headers of a PutObject or UploadPart request (path-style addressing), or
 * undefined for anything else. `x-amz-*` query parameters count as headers, as S3 reads a presigned URL.
 */
function uploadTarget(ctx: KoaContext): { bucket: string; headers: Headers } | undefined {
  if (ctx.method !== 'PUT') return undefined;
  const url = new URL(ctx.originalUrl, 'http://s3.local');
  const [, bucket, ...key] = url.pathname.split('/');
  if (!bucket || key.join('/') === '' || ctx.req.headers['x-amz-copy-source'] !== undefined) return undefined;
  const queryHeaders: Headers = {};
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-')) queryHeaders[lower] = value;
    // Any other parameter names a sub-resource (acl, tagging, retention…), not an object upload. The SDKs
    // add `x-id=PutObject` / `x-id=UploadPart`.
    else if (!UPLOAD_PARAMETERS.has(name)) return undefined;
  }
  return { bucket: decodeURIComponent(bucket), headers: { ...ctx.req.headers, ...queryHeaders } };
}

function s3Error(ctx: KoaContext, status: number, code: string, message: string) {
  const xmlText = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message><RequestId>${randomUUID()}</RequestId><HostId>local</HostId></Error>`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
