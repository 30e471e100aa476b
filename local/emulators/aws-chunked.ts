/**
 * Decoding of an `aws-chunked` request body, the framing SDKs use for streamed uploads and for checksums sent
 * as a trailer (`x-amz-content-sha256: STREAMING-…`):
 *
 *     <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n[<name>:<value>\r\n]*\r\n
 *
 * s3rver knows nothing of it and would store the framing as the object's content; the S3 front decodes it first.
 * Chunk signatures are not verified: s3rver does not verify header SigV4 signatures either.
 */
export class MalformedChunkedBody extends Error {}

export function decodeAwsChunked(body: Buffer): { payload: Buffer; trailers: Map<string, string> } {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new MalformedChunkedBody('a chunk header is not terminated');
    const header = body.subarray(offset, lineEnd).toString('latin1');
    const sizeText = header.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new MalformedChunkedBody(`bad chunk size "${sizeText}"`);
    const size = Number.parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > body.length) throw new MalformedChunkedBody('a chunk is shorter than its size');
    parts.push(body.subarray(offset, offset + size));
    offset += size;
    if (body.subarray(offset, offset + 2).toString('latin1') !== '\r\n') {
      throw new MalformedChunkedBody('a chunk is longer than its size');
    }
    offset += 2;
  }
  const trailers = new Map<string, string>();
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new MalformedChunkedBody('the trailer is not terminated');
    const line = body.subarray(offset, lineEnd).toString('latin1');
    offset = lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MalformedChunkedBody(`bad trailer line "${line}"`);
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (offset !== body.length) throw new MalformedChunkedBody('data after the final chunk');
  return { payload: Buffer.concat(parts), trailers };
}
