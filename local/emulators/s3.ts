import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { CREDENTIALS } from '../aws.ts';
import { checkPresignedSignature } from './s3-presigned.ts';

export type S3Local = { url: string; stop(): Promise<void> };

/**
 * s3rver with data under `directory` (persists across runs). Signature checking stays on: clients sign with
 * the dummy credentials s3rver knows (see aws.ts), so a presigned URL that would be rejected by S3 for a bad
 * signature or an expiry is rejected here too. s3rver itself checks a presigned URL's expiry but not its SigV4
 * signature; a middleware placed ahead of its router does (`s3-presigned.ts`).
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
  // Koa keeps its middleware in order of `use`; the check must run before s3rver's router answers.
  (server as unknown as { middleware: unknown[] }).middleware.splice(
    1,
    0,
    async (
      ctx: {
        method: string;
        originalUrl: string;
        req: { headers: Record<string, string | string[] | undefined> };
        status: number;
        type: string;
        body: unknown;
      },
      next: () => Promise<unknown>,
    ) => {
      const refused = checkPresignedSignature(
        { method: ctx.method, rawUrl: ctx.originalUrl, headers: ctx.req.headers },
        (accessKeyId) => secrets.get(accessKeyId),
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
