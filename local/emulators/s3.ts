import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import s3rverAccounts from 's3rver/lib/models/account.js';
import { CREDENTIALS } from '../aws.ts';
import type { SessionLookup, StsSession } from '../standins/sts.ts';
import { authenticateS3Request } from './s3-authentication.ts';
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
 * refuses. Every request must be SigV4-signed with a key the local cloud knows (`s3-authentication.ts`:
 * s3rver serves anonymous requests and takes any SigV4 signature): the dummy credentials of the functions and
 * the seeder (see aws.ts), or tenant-role sessions of the local STS, which IAM judges (`sessions`: expired →
 * ExpiredToken, outside the role's policy → AccessDenied). Listing never crosses tenants: IAM judges a
 * session's (no tenant role may list), and the shared key pair lists only within one tenant's prefix.
 * Uploads are checked for their integrity checksums (`s3-upload-integrity.ts`: Object Lock buckets need one,
 * every supplied one must match), which s3rver neither requires nor verifies.
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
  const objectLock = new Map<string, ObjectLockSettings>();
  const secretFor = (accessKeyId: string) =>
    accessKeyId === CREDENTIALS.accessKeyId
      ? CREDENTIALS.secretAccessKey
      : sessions?.lookup(accessKeyId)?.session.secretAccessKey;

  const authentication = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const refused = authenticateS3Request(
      { method: ctx.method, rawUrl: ctx.originalUrl, headers: ctx.req.headers },
      secretFor,
    );
    if (refused) {
      ctx.req.resume();
      return s3Error(ctx, refused.status, refused.code, refused.message);
    }
    return next();
  };

  const tenantSession = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const session = sessions?.lookup(accessKeyOf(ctx.req.headers, ctx.originalUrl) ?? '');
    if (!session) return next();
    if (session.expired) return s3Error(ctx, 400, 'ExpiredToken', 'The provided token has expired.');
    const query = new URLSearchParams(ctx.originalUrl.split('?')[1] ?? '');
    const denied = sessions?.refusal(session.session, { method: ctx.method, path: ctx.path, query });
    if (denied) return s3Error(ctx, 403, 'AccessDenied', denied);
    // A session key is good until its session expires; s3rver, which knows only its own key pair, learns it.
    s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(session.session.accessKeyId, session.session.secretAccessKey);
    return next();
  };

  const listingScope = async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const listing = bucketListing(ctx.method, ctx.originalUrl);
    if (listing === undefined || sessions?.lookup(accessKeyOf(ctx.req.headers, ctx.originalUrl) ?? '')) {
      return next();
    }
    // The shared key pair stands for every execution role, none of which may list; tests and tools list
    // what one tenant's documents hold, never the bucket across tenants.
    if (!SINGLE_TENANT_PREFIX.test(listing.prefix)) return s3Error(ctx, 403, 'AccessDenied', 'Access Denied');
    return next();
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
    authentication,
    tenantSession,
    listingScope,
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

/** A key prefix within one tenant's objects (`tenants/<tenantId>/…`). */
const SINGLE_TENANT_PREFIX = /^tenants\/[^/]+\//;

/** Query parameters of a bucket-level GET that reads the bucket's configuration rather than its keys. */
const CONFIGURATION_READS = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'tagging',
  'versioning',
  'website',
]);

/**
 * A request that lists keys of a bucket (ListObjects, ListObjectsV2, ListObjectVersions,
 * ListMultipartUploads: a GET on the bucket that is not a configuration read), with its prefix.
 */
function bucketListing(method: string, rawUrl: string): { prefix: string } | undefined {
  if (method !== 'GET') return undefined;
  const url = new URL(rawUrl, 'http://s3.local');
  const [, bucket, ...key] = url.pathname.split('/');
  if (!bucket || key.join('/') !== '') return undefined;
  if ([...url.searchParams.keys()].some((name) => CONFIGURATION_READS.has(name))) return undefined;
  return { prefix: url.searchParams.get('prefix') ?? '' };
}

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
