import { createHash } from 'node:crypto';
import { decodeAwsChunked, MalformedChunkedBody } from './aws-chunked.ts';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumOf,
  isChecksumAlgorithm,
  isWellFormedChecksum,
} from './s3-checksums.ts';

/** A bucket's Object Lock settings from the template; `undefined` when Object Lock is not enabled. */
export type ObjectLockSettings = { defaultRetention: boolean };

export type Headers = Record<string, string | string[] | undefined>;

/** S3's refusal of an upload: always HTTP 400 with S3's error code and message. */
export type UploadRefusal = { ok: false; code: string; message: string };

/**
 * An accepted upload. When the body had to be read (to verify a checksum or to undo `aws-chunked`), `payload`
 * is the object's content and `headers` the request headers as s3rver must see them for it.
 */
export type UploadAcceptance = { ok: true; payload?: Buffer; headers?: Headers };

/**
 * The integrity rules S3 applies to PutObject and UploadPart, which s3rver does not:
 *  - on a bucket with Object Lock and a default retention (or with `x-amz-object-lock-*` headers), a
 *    `Content-MD5` or an `x-amz-checksum-*` value (header or aws-chunked trailer) is required;
 *  - every supplied `Content-MD5` / `x-amz-checksum-*` must be well-formed and match the body;
 *  - an `aws-chunked` body is decoded (and its trailer checksum verified), never stored with its framing.
 * Codes and messages are S3's (InvalidRequest, InvalidDigest, BadDigest, IncompleteBody, MalformedTrailerError).
 */
export async function checkUploadIntegrity(
  headers: Headers,
  lock: ObjectLockSettings | undefined,
  readBody: () => Promise<Buffer>,
): Promise<UploadRefusal | UploadAcceptance> {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const valueHeaders = CHECKSUM_ALGORITHMS.filter((algorithm) => header(`x-amz-checksum-${algorithm}`));
  const trailerName = header('x-amz-trailer')?.trim().toLowerCase();
  const trailerAlgorithm = trailerName?.replace(/^x-amz-checksum-/, '');
  if (trailerName && (trailerAlgorithm === trailerName || !isChecksumAlgorithm(trailerAlgorithm!))) {
    return refuse('InvalidRequest', 'The value specified in the x-amz-trailer header is not supported');
  }
  const supplied: ChecksumAlgorithm[] = [
    ...valueHeaders,
    ...(trailerName ? [trailerAlgorithm as ChecksumAlgorithm] : []),
  ];
  if (supplied.length > 1) {
    return refuse(
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const [algorithm] = supplied;
  const sdkAlgorithm = header('x-amz-sdk-checksum-algorithm')?.toLowerCase();
  if (sdkAlgorithm !== undefined) {
    if (!isChecksumAlgorithm(sdkAlgorithm) || (algorithm && algorithm !== sdkAlgorithm)) {
      return refuse('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
    if (!algorithm) {
      return refuse(
        'InvalidRequest',
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
  }
  const lockRequested = Object.keys(headers).some((name) => name.startsWith('x-amz-object-lock-'));
  if (lockRequested && !lock) return refuse('InvalidRequest', 'Bucket is missing Object Lock Configuration');
  const contentMd5 = header('content-md5');
  if ((lock?.defaultRetention || lockRequested) && !contentMd5 && !algorithm) {
    return refuse(
      'InvalidRequest',
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  if (algorithm && !trailerName && !isWellFormedChecksum(algorithm, header(`x-amz-checksum-${algorithm}`)!)) {
    return refuse('InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
  }
  if (contentMd5 !== undefined && !isWellFormedMd5(contentMd5)) {
    return refuse('InvalidDigest', 'The Content-MD5 you specified was not valid.');
  }

  const contentEncodings = (header('content-encoding') ?? '')
    .split(',')
    .map((encoding) => encoding.trim())
    .filter(Boolean);
  const chunked =
    contentEncodings.includes('aws-chunked') || /^STREAMING-/.test(header('x-amz-content-sha256') ?? '');
  if (!chunked && !algorithm && contentMd5 === undefined) return { ok: true };
  if (trailerName && !chunked) {
    return refuse('InvalidRequest', 'x-amz-trailer requires an aws-chunked (streaming) request body');
  }

  const body = await readBody();
  let payload = body;
  let expected = algorithm ? header(`x-amz-checksum-${algorithm}`) : undefined;
  if (chunked) {
    let trailers: Map<string, string>;
    try {
      ({ payload, trailers } = decodeAwsChunked(body));
    } catch (error) {
      if (!(error instanceof MalformedChunkedBody)) throw error;
      return refuse('IncompleteBody', 'The request body terminated unexpectedly');
    }
    const declaredLength = header('x-amz-decoded-content-length');
    if (declaredLength !== undefined && Number(declaredLength) !== payload.length) {
      return refuse(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
      );
    }
    if (trailerName) {
      expected = trailers.get(trailerName);
      if (expected === undefined || !isWellFormedChecksum(algorithm!, expected)) {
        return refuse(
          'MalformedTrailerError',
          'The request contained trailing data that was not well-formed or did not conform to our published schema.',
        );
      }
    }
  }
  if (contentMd5 !== undefined && createHash('md5').update(payload).digest('base64') !== contentMd5) {
    return refuse('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  if (algorithm && checksumOf(algorithm, payload) !== expected) {
    return refuse(
      'BadDigest',
      `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
    );
  }
  return {
    ok: true,
    payload,
    headers: chunked ? unchunkedHeaders(headers, contentEncodings, payload) : headers,
  };
}

function refuse(code: string, message: string): UploadRefusal {
  return { ok: false, code, message };
}

function isWellFormedMd5(value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 16 && bytes.toString('base64') === value;
}

/** The headers of the decoded request: what S3 keeps of an aws-chunked upload is the payload alone. */
function unchunkedHeaders(headers: Headers, contentEncodings: string[], payload: Buffer): Headers {
  const {
    'x-amz-decoded-content-length': _decoded,
    'x-amz-trailer': _trailer,
    'transfer-encoding': _transfer,
    'content-encoding': _encoding,
    ...rest
  } = headers;
  const remaining = contentEncodings.filter((encoding) => encoding !== 'aws-chunked');
  return {
    ...rest,
    ...(remaining.length ? { 'content-encoding': remaining.join(',') } : {}),
    'content-length': String(payload.length),
    // s3rver only accepts the non-streaming forms; the payload is now plain.
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  };
}
