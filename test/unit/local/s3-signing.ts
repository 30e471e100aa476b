import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The SDK's hash interface over node:crypto (HMAC when given a secret). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const toBuffer = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/**
 * Headers of a raw S3 request signed with SigV4 in the Authorization header, as the SDK signs (the path as
 * sent; the payload hash is `x-amz-content-sha256`, UNSIGNED-PAYLOAD unless given): for tests that need
 * control of every header the SDK would set itself.
 */
export async function signS3Request(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  {
    credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    signingDate,
  }: { credentials?: { accessKeyId: string; secretAccessKey: string }; signingDate?: Date } = {},
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host: target.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    },
    { signingDate },
  );
  return signed.headers;
}
