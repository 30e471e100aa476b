/**
 * HTTP plumbing under the soap client: keep-alive agents, a connect timeout separate from the response
 * timeout, and the one fact retries depend on — whether the request body fully left this process.
 * axios (soap's HTTP client) accepts a custom `transport`; ours wraps node:http(s).request to watch the
 * request's `finish` event.
 */
import http from 'node:http';
import https from 'node:https';

export type KeepAliveAgents = { httpAgent: http.Agent; httpsAgent: https.Agent };

export function createKeepAliveAgents(maxSockets = 32): KeepAliveAgents {
  // HKA is one host: a warm pool saves a TCP+TLS handshake per call (most of a call's latency).
  const options = { keepAlive: true, keepAliveMsecs: 15_000, maxSockets, maxFreeSockets: maxSockets };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}

/** Per call: did the request body finish writing to a socket? */
export type SendTracker = { sent: boolean };

export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
  readonly code = 'ECONNECTTIMEOUT';
}

type RequestFn = typeof http.request;

/** An axios `transport` that records `sent` and aborts a connection not established in time. */
export function trackingTransport(tracker: SendTracker, connectTimeoutMs: number) {
  const wrap =
    (request: RequestFn) =>
    (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest => {
      const req = request(options, callback);
      req.on('finish', () => {
        tracker.sent = true;
      });
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected; only fresh ones get a connect deadline.
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => req.destroy(new ConnectTimeoutError(`connect timeout after ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      return req;
    };
  return {
    request: (
      options: http.RequestOptions & { protocol?: string },
      callback?: (res: http.IncomingMessage) => void,
    ) =>
      options.protocol === 'https:'
        ? wrap(https.request as RequestFn)(options, callback)
        : wrap(http.request)(options, callback),
  };
}
