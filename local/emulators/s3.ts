import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import s3rverAccounts from 's3rver/lib/models/account.js';
import { CREDENTIALS } from '../aws.ts';
import type { SessionLookup, StsSession } from '../standins/sts.ts';
import { checkPresignedSignature } from './s3-presigned.ts';
import { checkUploadIntegrity, type Headers, type ObjectLockSettings } from './s3-upload-integrity.ts';

export type S3Local = {
  url: string;
  /** Declares a bucket's Object Lock settings (from the template): its uploads must then carry a checksum. */
  setObjectLock(bucket: string, settings: ObjectLockSettings): void;
  stop(): Promise<void>;
};

/** Session credentials issued by the local STS, and what IAM would refuse them (local/iam/tenant-guard.ts). */
export type S3Sessions = {
  lookup(accessKeyId: string): SessionLookup;
  refusal(
    session: StsSession,
    request: { method: string; path: string; query: URLSearchParams },
  ): string | undefined;
};

/** The part of Koa's context the fronts use (s3rver is a Koa app). */
type KoaContext = {
  method: string;
  path: string;
  originalUrl: string;
  req: NodeJS.ReadableStream & { headers: Headers };
  request: { headers: Headers };
  status: number;
  type: string;
  body: unknown;
};

/**
 * s3rver with data under `directory` (persists across runs), behind fronts that make it refuse what S3
 * refuses. Clients sign with the dummy credentials s3rver knows (see aws.ts) or with tenant-role sessions of
 * the local STS, which IAM judges (`sessions`: expired → ExpiredToken, outside the role's policy →
 * AccessDenied). s3rver checks a presigned URL's expiry but not its SigV4 signature (`s3-presigned.ts` does),
 * and it neither requires nor verifies upload checksums (`s3-upload-integrity.ts` does: Object Lock buckets
 * need one, every supplied one must match).
 */
export async function startS3Local({
  port,
  directory,
  sessions,
}: {
  port: number;
  directory: string;
  /** Tenant-role sessions of the functions (local STS). */
  sessions?: S3Sessions;
}): Promise<S3Local> {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, vhostBuckets: false });
  const secrets = new Map<string, string>([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]);
  const objectLock = new Map<string, ObjectLockSettings>();

  const tenantSession = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const session = sessions?.lookup(accessKeyOf(ctx.req.headers, ctx.originalUrl) ?? '');
    if (!session) return next();
    if (session.expired) return s3Error(ctx, 400, 'ExpiredToken', 'The provided token has expired.');
    const query = new URLSearchParams(ctx.originalUrl.split('?')[1] ?? '');
    const denied = sessions?.refusal(session.session, { method: ctx.method, path: ctx.path, query });
    if (denied) return s3Error(ctx, 403, 'AccessDenied', denied);
    // A session key is good until its session expires; s3rver, which knows only its own key pair, learns it.
    s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(session.session.accessKeyId, session.session.secretAccessKey);
    secrets.set(session.session.accessKeyId, session.session.secretAccessKey);
    return next();
  };

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
    tenantSession,
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

/** The access key a request is signed with (SigV4 header or presigned query). */
function accessKeyOf(headers: Headers, rawUrl: string): string | undefined {
  const authorization = String(headers.authorization ?? '');
  const fromHeader = /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
  if (fromHeader) return fromHeader;
  const credential = new URLSearchParams(rawUrl.split('?')[1] ?? '').get('X-Amz-Credential');
  return credential?.split('/')[0];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
