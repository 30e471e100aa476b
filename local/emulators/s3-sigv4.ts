import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an HTTP request a SigV4 signature covers, as the S3 front receives it. */
export type SignedRequest = {
  method: string;
  /** Path and query exactly as sent (`/bucket/key%20name?x-id=GetObject`). */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
};

/** The query of a raw URL as decoded (name, value) pairs, in order. */
export function queryPairs(rawUrl: string): Array<[string, string]> {
  const rawQuery = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const index = pair.indexOf('=');
      const [key, value] = index < 0 ? [pair, ''] : [pair.slice(0, index), pair.slice(index + 1)];
      return [decode(key), decode(value)];
    });
}

/**
 * SigV4's string for a request: canonical request (S3 flavour: the path as sent, not normalized or encoded
 * again) hashed into the string to sign, signed with the key derived from the secret and the scope. Returns
 * whether `provided` is that signature.
 */
export function signatureMatches(
  request: SignedRequest,
  parts: {
    secret: string;
    /** `<date>/<region>/<service>/aws4_request`. */
    scope: string;
    amzDate: string;
    signedHeaders: string;
    payloadHash: string;
    /** Query parameters not part of the canonical query (the presigned URL's own signature). */
    excludedParameters?: string[];
    provided: string;
  },
): boolean {
  const rawPath = request.rawUrl.split('?', 1)[0] || '/';
  const canonicalQuery = queryPairs(request.rawUrl)
    .filter(([key]) => !parts.excludedParameters?.includes(key))
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = parts.signedHeaders
    .split(';')
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    request.method,
    rawPath,
    canonicalQuery,
    canonicalHeaders,
    parts.signedHeaders,
    parts.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, parts.scope, sha256(canonicalRequest)].join('\n');
  const [date = '', ...rest] = parts.scope.split('/');
  let key: Buffer = hmac(`AWS4${parts.secret}`, date);
  for (const part of rest) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return (
    expected.length === parts.provided.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(parts.provided))
  );
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

/** RFC 3986 encoding as SigV4 wants it (also `!'()*`). */
function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: string | Buffer, value: string) => createHmac('sha256', key).update(value).digest();
