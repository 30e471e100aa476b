import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isAllowedAddress } from './address-policy.ts';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Why a URL is refused: the `details[].code` of the 422 on `url`. */
export type UrlRefusal =
  | 'URL_INVALID'
  | 'URL_NOT_HTTPS'
  | 'URL_HAS_CREDENTIALS'
  | 'URL_UNRESOLVABLE'
  | 'URL_FORBIDDEN_ADDRESS';

export class WebhookUrlRefusedError extends Error {
  override readonly name = 'WebhookUrlRefusedError';
  constructor(
    readonly reason: UrlRefusal,
    message: string,
  ) {
    super(message);
  }
}

export type ResolvedTarget = { url: URL; address: string; family: 4 | 6 };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a webhook URL and resolves its host, at creation and again before every delivery (a name may
 * resolve elsewhere by then: DNS rebinding). https only; plain http only to a loopback host where the local
 * cloud allows it. Every address the name resolves to must be public — one private answer refuses the URL,
 * so a resolver's answer order cannot be played — and the delivery then connects to the address returned
 * here, never resolving again.
 */
export async function resolveWebhookTarget(
  raw: string,
  options: { allowLoopback: boolean },
): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefusedError('URL_INVALID', 'must be an absolute https URL');
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefusedError('URL_HAS_CREDENTIALS', 'must not carry a user name or password');
  }
  const loopbackHttp =
    options.allowLoopback && url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname.toLowerCase());
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new WebhookUrlRefusedError('URL_NOT_HTTPS', 'must use https');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookUrlRefusedError('URL_UNRESOLVABLE', `the host ${host} does not resolve`);
    }
  }
  const refused = addresses.find((a) => !isAllowedAddress(a.address, options));
  if (refused || addresses.length === 0) {
    throw new WebhookUrlRefusedError(
      'URL_FORBIDDEN_ADDRESS',
      'resolves to a private, loopback, link-local or otherwise non-public address',
    );
  }
  const [first] = addresses;
  return { url, address: first!.address, family: first!.family === 6 ? 6 : 4 };
}

export type PostOutcome =
  | { ok: boolean; statusCode: number; durationMs: number }
  | { ok: false; statusCode: null; durationMs: number; error: string };

/** Hands the connection the address already checked, whatever the name resolves to now. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    } else callback(null, address, family);
  };
}

/**
 * POSTs `body` to the resolved target and reports the status and time taken; 2xx is success, anything else
 * (a redirect included: it is never followed, its target was not checked) a failure. Never throws.
 */
export function postToTarget(
  target: ResolvedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
        lookup: pinnedLookup(target.address, target.family),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const statusCode = res.statusCode ?? 0;
        // The answer's body is not kept; reading it frees the connection.
        res.resume();
        res.on('end', () =>
          resolve({ ok: statusCode >= 200 && statusCode < 300, statusCode, durationMs: elapsed() }),
        );
        // An answer cut short (timeout, reset) after its status line: a failure; after 'end' this is a no-op.
        res.on('close', () => resolve({ ok: false, statusCode, durationMs: elapsed() }));
        res.on('error', () => resolve({ ok: false, statusCode, durationMs: elapsed() }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.name === 'AbortError' ? 'timeout' : (error.code ?? 'connection failed');
      resolve({ ok: false, statusCode: null, durationMs: elapsed(), error: reason });
    });
    req.end(body);
  });
}
