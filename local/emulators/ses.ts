import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { freePort } from '../ports.ts';
import { notVerifiedMessage, sendAddresses, unverifiedAddresses } from './ses-sandbox.ts';
import { closeServer } from './sqs.ts';

export type SesLocal = {
  /** The SES endpoint (and mail viewer) the application uses: behind the sandbox front when it is on. */
  url: string;
  /**
   * The emulator itself, never sandboxed: for third parties that send through their own SES account (the HKA
   * sandbox stands for HKA's mail service, which our account's sandbox does not govern).
   */
  directUrl: string;
  /** Adds verified identities (addresses or domains); only consulted in sandbox mode. */
  verifyIdentities(identities: string[]): void;
  stop(): Promise<void>;
};

// A CommonJS module with `exports.default`: Node's ESM interop hands us the exports object, bundlers the
// function itself. Accept both.
const startServer: typeof sesModule =
  typeof sesModule === 'function'
    ? sesModule
    : (sesModule as unknown as { default: typeof sesModule }).default;

/**
 * aws-ses-v2-local: SES v1/v2 API plus a mail viewer at its root URL (mail is kept in memory). With
 * `sandbox`, a front on `port` behaves like an account in the SES sandbox, as every new AWS account is: a send
 * whose sender or any recipient is not a verified identity is refused with `MessageRejected`, before the
 * emulator sees it; everything else is passed through to the emulator on a private port.
 */
export async function startSesLocal({
  port,
  sandbox = false,
}: {
  port: number;
  sandbox?: boolean;
}): Promise<SesLocal> {
  const identities = new Set<string>();
  if (!sandbox) {
    const server = await startServer({ host: '127.0.0.1', port });
    const url = `http://127.0.0.1:${port}`;
    return { url, directUrl: url, verifyIdentities: () => undefined, stop: () => closeServer(server) };
  }
  const emulatorPort = await freePort();
  const emulator = await startServer({ host: '127.0.0.1', port: emulatorPort });
  const front = createServer((request, response) => {
    void sandboxFront(request, response, emulatorPort, identities).catch(() => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await closeServer(emulator);
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    directUrl: `http://127.0.0.1:${emulatorPort}`,
    verifyIdentities: (added) => {
      for (const identity of added) identities.add(identity);
    },
    stop: async () => {
      await closeServer(front);
      await closeServer(emulator);
    },
  };
}

async function sandboxFront(
  request: IncomingMessage,
  response: ServerResponse,
  emulatorPort: number,
  identities: Set<string>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const path = new URL(request.url ?? '/', 'http://ses.local').pathname;
  const addresses = sendAddresses(String(request.method), path, body);
  const refused = addresses ? unverifiedAddresses(addresses, identities) : [];
  if (refused.length) return rejectMessage(response, path, notVerifiedMessage(refused));
  const forwarded = httpRequest({
    host: '127.0.0.1',
    port: emulatorPort,
    method: request.method,
    path: request.url,
    headers: { ...request.headers, host: `127.0.0.1:${emulatorPort}`, 'content-length': body.length },
  });
  await new Promise<void>((resolve, reject) => {
    forwarded.once('error', reject);
    forwarded.once('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.once('end', resolve);
      answer.once('error', reject);
    });
    forwarded.end(body);
  });
}

/** `MessageRejected` in the encoding of the API that was called (v2 REST-JSON, v1 query/XML). */
function rejectMessage(response: ServerResponse, path: string, message: string) {
  const v2 = path.startsWith('/v2/');
  const payload = Buffer.from(
    v2
      ? JSON.stringify({ message })
      : `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
  response.writeHead(400, {
    'content-type': v2 ? 'application/json' : 'text/xml',
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
    ...(v2 ? { 'x-amzn-errortype': 'MessageRejected' } : {}),
  });
  response.end(payload);
}
