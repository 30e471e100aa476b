import sesModule from 'aws-ses-v2-local';
import { closeServer } from './sqs.ts';

export type SesLocal = { url: string; stop(): Promise<void> };

// A CommonJS module with `exports.default`: Node's ESM interop hands us the exports object, bundlers the
// function itself. Accept both.
const startServer: typeof sesModule =
  typeof sesModule === 'function'
    ? sesModule
    : (sesModule as unknown as { default: typeof sesModule }).default;

/** aws-ses-v2-local: SES v1/v2 API plus a mail viewer at its root URL (mail is kept in memory). */
export async function startSesLocal({ port }: { port: number }): Promise<SesLocal> {
  const server = await startServer({ host: '127.0.0.1', port });
  return { url: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}
