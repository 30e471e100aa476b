import { checkPresignedSignature } from './s3-presigned.ts';
import { type SignedRequest, signatureMatches } from './s3-sigv4.ts';

/** An S3 error answer: status, S3 error code, message. */
export type S3Refusal = { status: number; code: string; message: string };

/** S3 refuses a header-signed request whose `x-amz-date` is further than this from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * Authenticates an S3 request as S3 does before anything else, which s3rver does not: it serves anonymous
 * requests (every object, every listing) and takes any SigV4 signature of a key it knows. Here a request is
 * SigV4-signed with a known key — in the Authorization header (the SDK's calls) or in the query (presigned
 * URLs) — or refused: anonymous → `AccessDenied` (the buckets are private), unknown key →
 * `InvalidAccessKeyId`, wrong signature → `SignatureDoesNotMatch`, a header date off by more than 15 minutes →
 * `RequestTimeTooSkewed`. CORS preflights (OPTIONS) are answered without credentials, as S3 answers them, and
 * Signature Version 2 is left to s3rver, which verifies it. The payload hash is taken as declared in
 * `x-amz-content-sha256` (S3 would also compare it with the body).
 */
export function authenticateS3Request(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number = Date.now(),
): S3Refusal | undefined {
  if (request.method === 'OPTIONS') return undefined;
  const authorization = headerOf(request, 'authorization');
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    return checkHeaderSignature(request, authorization, secretFor, now);
  }
  if (authorization !== undefined) return undefined;
  const query = new URLSearchParams(request.rawUrl.split('?')[1] ?? '');
  if (query.has('X-Amz-Algorithm')) {
    const refused = checkPresignedSignature(request, secretFor);
    return refused
      ? {
          status: 403,
          code: 'SignatureDoesNotMatch',
          message: `The request signature we calculated does not match the signature you provided (${refused}).`,
        }
      : undefined;
  }
  if (query.has('Signature')) return undefined;
  return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
}

function checkHeaderSignature(
  request: SignedRequest,
  authorization: string,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number,
): S3Refusal | undefined {
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? '';
  const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1];
  const provided = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== 'aws4_request' ||
    !signedHeaders ||
    !provided
  ) {
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message:
        'The authorization header is malformed; the Credential, SignedHeaders or Signature is missing.',
    };
  }
  const secret = secretFor(accessKeyId);
  if (secret === undefined) {
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  const amzDate = headerOf(request, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    return {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  }
  const payloadHash = headerOf(request, 'x-amz-content-sha256');
  if (payloadHash === undefined) {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: 'Missing required header for this request: x-amz-content-sha256',
    };
  }
  const matches = signatureMatches(request, {
    secret,
    scope: `${date}/${region}/${service}/aws4_request`,
    amzDate,
    signedHeaders,
    payloadHash,
    provided,
  });
  return matches
    ? undefined
    : {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
}

function headerOf(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261122T170000Z` → epoch milliseconds. */
function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}
