/**
 * A metering pass-through in front of one local service, one listener per Lambda function (so every call
 * is attributed to the function that made it without touching the handlers). Each request is read whole,
 * handed to the service's meter with a `forward` that relays it (optionally with another body) and
 * returns the service's answer, which the meter may inspect before it goes back unchanged.
 *
 * Headers are relayed as they are (the Host header too: S3's SigV4 check covers it), except the framing
 * ones, which follow the bodies actually sent.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:http';
import { functionListeners } from '../../pipeline/function-listeners';

export type ProxyRequest = {
  functionName: string;
  method: string;
  /** Path and query, as received. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

export type ProxyResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

export type Meter = (
  request: ProxyRequest,
  forward: (body?: Buffer) => Promise<ProxyResponse>,
) => Promise<ProxyResponse>;

export type MeteringProxy = {
  /** The endpoint a function should use (a listener created on first use). */
  urlFor(functionName: string): Promise<string>;
  close(): Promise<void>;
};

const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

function withoutFraming(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !FRAMING.has(name.toLowerCase())));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function startMeteringProxy(targetUrl: string, meter: Meter): MeteringProxy {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const forwardTo =
    (incoming: ProxyRequest) =>
    (body: Buffer = incoming.body): Promise<ProxyResponse> =>
      new Promise((resolve, reject) => {
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            method: incoming.method,
            path: incoming.path,
            headers: { ...withoutFraming(incoming.headers), 'content-length': String(body.length) },
            agent,
          },
          (response) => {
            readAll(response).then(
              (responseBody) =>
                resolve({ status: response.statusCode ?? 0, headers: response.headers, body: responseBody }),
              reject,
            );
          },
        );
        upstream.on('error', reject);
        upstream.end(body);
      });

  const listeners = functionListeners((functionName) => (incoming, outgoing) => {
    void (async () => {
      const proxied: ProxyRequest = {
        functionName,
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: await readAll(incoming),
      };
      const response = await meter(proxied, forwardTo(proxied));
      // A HEAD answer (and 204/304) carries the entity's length without a body: relay it as it came.
      const bodiless = proxied.method === 'HEAD' || response.status === 204 || response.status === 304;
      outgoing.writeHead(
        response.status,
        bodiless
          ? Object.fromEntries(
              Object.entries(response.headers).filter(([name]) => name !== 'transfer-encoding'),
            )
          : { ...withoutFraming(response.headers), 'content-length': String(response.body.length) },
      );
      outgoing.end(bodiless ? undefined : response.body);
    })().catch(() => outgoing.destroy());
  });

  return {
    urlFor: listeners.urlFor,
    async close() {
      await listeners.close();
      agent.destroy();
    },
  };
}

/** The last part of an `X-Amz-Target` (`DynamoDB_20120810.PutItem` → `PutItem`), or '' when absent. */
export function targetOperation(headers: IncomingHttpHeaders): { service: string; operation: string } {
  const target = String(headers['x-amz-target'] ?? '');
  const dot = target.lastIndexOf('.');
  return dot < 0
    ? { service: '', operation: '' }
    : { service: target.slice(0, dot), operation: target.slice(dot + 1) };
}

export function jsonOf(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
