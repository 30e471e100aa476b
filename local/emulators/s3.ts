import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

export type S3Local = { url: string; stop(): Promise<void> };

/**
 * s3rver with data under `directory` (persists across runs). Signature checking stays on: clients sign with
 * the dummy credentials s3rver knows (see aws.ts), so a presigned URL that would be rejected by S3 for a bad
 * signature or an expiry is rejected here too.
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
  await server.run();
  return { url: `http://127.0.0.1:${port}`, stop: () => server.close() };
}
