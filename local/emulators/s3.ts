import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import s3rverAccounts from 's3rver/lib/models/account.js';
import { CREDENTIALS } from '../aws.ts';
import type { SessionLookup, StsSession } from '../standins/sts.ts';
import { checkPresignedSignature } from './s3-presigned.ts';

export type S3Local = { url: string; stop(): Promise<void> };

/** Session credentials issued by the local STS, and what IAM would refuse them (local/iam/tenant-guard.ts). */
export type S3Sessions = {
  lookup(accessKeyId: string): SessionLookup;
  refusal(
    session: StsSession,
    request: { method: string; path: string; query: URLSearchParams },
  ): string | undefined;
};

/**
 * s3rver with data under `directory` (persists across runs). Signature checking stays on: clients sign with
 * the dummy credentials s3rver knows (see aws.ts), so a presigned URL that would be rejected by S3 for a bad
 * signature or an expiry is rejected here too. s3rver itself checks a presigned URL's expiry but not its SigV4
 * signature; a middleware placed ahead of its router does (`s3-presigned.ts`).
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
  // Koa keeps its middleware in order of `use`; the check must run before s3rver's router answers.
  (server as unknown as { middleware: unknown[] }).middleware.splice(
    1,
    0,
    async (
      ctx: {
        method: string;
        path: string;
        originalUrl: string;
        req: { headers: Record<string, string | string[] | undefined> };
        status: number;
        type: string;
        body: unknown;
      },
      next: () => Promise<unknown>,
    ) => {
      // A session key is good until its session expires; s3rver, which knows only its own key pair, learns it.
      const session = sessions?.lookup(accessKeyOf(ctx.req.headers, ctx.originalUrl) ?? '');
      if (session?.expired) {
        ctx.status = 400;
        ctx.type = 'application/xml';
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>`;
        return;
      }
      const query = new URLSearchParams(ctx.originalUrl.split('?')[1] ?? '');
      const denied =
        session && sessions?.refusal(session.session, { method: ctx.method, path: ctx.path, query });
      if (denied) {
        ctx.status = 403;
        ctx.type = 'application/xml';
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${denied}</Message></Error>`;
        return;
      }
      if (session)
        s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(
          session.session.accessKeyId,
          session.session.secretAccessKey,
        );
      const refused = checkPresignedSignature(
        { method: ctx.method, rawUrl: ctx.originalUrl, headers: ctx.req.headers },
        (accessKeyId) =>
          secrets.get(accessKeyId) ??
          (session?.session.accessKeyId === accessKeyId ? session.session.secretAccessKey : undefined),
      );
      if (!refused) return next();
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided (${refused}).</Message></Error>`;
    },
  );
  await server.run();
  return { url: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

/** The access key a request is signed with (SigV4 header or presigned query). */
function accessKeyOf(
  headers: Record<string, string | string[] | undefined>,
  rawUrl: string,
): string | undefined {
  const authorization = String(headers.authorization ?? '');
  const fromHeader = /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
  if (fromHeader) return fromHeader;
  const credential = new URLSearchParams(rawUrl.split('?')[1] ?? '').get('X-Amz-Credential');
  return credential?.split('/')[0];
}
