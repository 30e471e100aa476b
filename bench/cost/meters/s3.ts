/**
 * S3 meter: every request a function makes, by S3's two request price classes (PUT, COPY, POST and LIST
 * in one; GET, HEAD and the rest in the other; DELETE is free), and the bytes each PutObject stores (the
 * decoded length of an aws-chunked upload, which is how the SDK sends checksummed bodies).
 */
import type { UsageRecorder } from '../usage';
import { increment } from '../usage';
import type { Meter, ProxyRequest } from './proxy';

export type S3RequestClass = 'put' | 'get' | 'free';

/** The operation and price class of a path-style request (`/<bucket>/<key>?…`). */
export function s3RequestKind(request: Pick<ProxyRequest, 'method' | 'path' | 'headers'>): {
  operation: string;
  priceClass: S3RequestClass;
} {
  const url = new URL(request.path, 'http://s3.local');
  const segments = url.pathname.split('/').filter(Boolean);
  const onBucket = segments.length <= 1;
  switch (request.method) {
    case 'PUT':
      return request.headers['x-amz-copy-source']
        ? { operation: 'CopyObject', priceClass: 'put' }
        : { operation: onBucket ? 'PutBucket' : 'PutObject', priceClass: 'put' };
    case 'POST':
      return { operation: 'Post', priceClass: 'put' };
    case 'GET':
      return onBucket || url.searchParams.has('list-type')
        ? { operation: 'ListObjects', priceClass: 'put' }
        : { operation: 'GetObject', priceClass: 'get' };
    case 'HEAD':
      return { operation: onBucket ? 'HeadBucket' : 'HeadObject', priceClass: 'get' };
    case 'DELETE':
      return { operation: 'DeleteObject', priceClass: 'free' };
    default:
      return { operation: request.method, priceClass: 'get' };
  }
}

/** The bytes an upload stores: its decoded length when aws-chunked, else its body. */
export function storedBytes(request: Pick<ProxyRequest, 'headers' | 'body'>): number {
  const decoded = Number(request.headers['x-amz-decoded-content-length']);
  return Number.isFinite(decoded) && decoded >= 0 ? decoded : request.body.length;
}

export function s3Meter(usage: UsageRecorder): Meter {
  return async (request, forward) => {
    const response = await forward();
    const { operation, priceClass } = s3RequestKind(request);
    const s3 = usage.fn(request.functionName).s3;
    increment(s3.calls, response.status < 300 ? operation : `${operation}!${response.status}`);
    // Failed requests are billed too (S3 charges requests, not outcomes), except 5xx server errors.
    if (response.status < 500) {
      if (priceClass === 'put') s3.putClass += 1;
      else if (priceClass === 'get') s3.getClass += 1;
    }
    if (operation === 'PutObject' && response.status === 200) s3.bytesPut += storedBytes(request);
    return response;
  };
}
