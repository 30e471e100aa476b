import { queryPairs, type SignedRequest, signatureMatches } from './s3-sigv4.ts';

/**
 * SigV4 verification of presigned (query-string) requests, which s3rver does not do: it checks a presigned
 * URL's expiry but accepts any `X-Amz-Signature` ("Signature version 4 calculation is unimplemented"). A
 * download URL the API hands out must be refused here when altered, as S3 refuses it.
 *
 * Returns undefined when the request carries no SigV4 query signature (header-signed requests are checked by
 * `s3-authentication.ts`) or the signature matches; otherwise the reason.
 */
export function checkPresignedSignature(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
): string | undefined {
  const query = new Map(queryPairs(request.rawUrl));
  const provided = query.get('X-Amz-Signature');
  if (provided === undefined || query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  const credential = query.get('X-Amz-Credential') ?? '';
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || !signedHeaders) {
    return 'malformed X-Amz-Credential or X-Amz-SignedHeaders';
  }
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return `unknown access key ${accessKeyId}`;
  const matches = signatureMatches(request, {
    secret,
    scope: `${date}/${region}/${service}/aws4_request`,
    amzDate: query.get('X-Amz-Date') ?? '',
    signedHeaders,
    payloadHash: 'UNSIGNED-PAYLOAD',
    excludedParameters: ['X-Amz-Signature'],
    provided,
  });
  return matches ? undefined : 'the request signature does not match';
}
