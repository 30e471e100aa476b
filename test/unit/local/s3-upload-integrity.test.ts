import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Local, startS3Local } from '#local/emulators/s3';
import { checksumOf } from '#local/emulators/s3-checksums';
import { freePort } from '#local/ports';
import { getObjectBytes, presignGet, putObject } from '#shared/storage/s3';
import { signS3Request } from './s3-signing.ts';

const LOCKED = 'documents-locked';
const PLAIN = 'plain';
const BODY = Buffer.from('123456789');
const LOCK_MESSAGE =
  'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters';

/** S3's published test vectors for the body `123456789` (the same values AWS answers with). */
const VECTORS = {
  crc32: 'y/Q5Jg==',
  crc32c: '4waSgw==',
  crc64nvme: 'rosUhgp5mIg=',
  sha1: '98O8HYCOBHMq32eZZczDTKeuNEE=',
  sha256: 'FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=',
} as const;

describe('S3 upload integrity (Object Lock checksum rule) in the local S3', () => {
  let s3: S3Local;
  let dir: string;
  let client: S3Client;

  /** A PutObject as a plain HTTP client sends it, signed (S3 and the local S3 refuse unsigned requests). */
  const put = async (bucket: string, key: string, body: Buffer, headers: Record<string, string> = {}) => {
    const url = `${s3.url}/${bucket}/${key}`;
    return fetch(url, { method: 'PUT', body, headers: await signS3Request(url, 'PUT', headers) });
  };
  const stored = async (bucket: string, key: string) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );
  const read = async (bucket: string, key: string) =>
    Buffer.from(
      await (
        await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body!.transformToByteArray(),
    );
  const errorOf = async (response: Response) => {
    const text = await response.text();
    return {
      status: response.status,
      code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
      message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1],
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-s3-'));
    s3 = await startS3Local({ port: await freePort(), directory: dir });
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    for (const Bucket of [LOCKED, PLAIN]) await client.send(new CreateBucketCommand({ Bucket }));
    s3.setObjectLock(LOCKED, { defaultRetention: true });
  });

  afterAll(async () => {
    client.destroy();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes the checksums S3 computes', () => {
    for (const [algorithm, value] of Object.entries(VECTORS)) {
      expect(checksumOf(algorithm as keyof typeof VECTORS, BODY)).toBe(value);
    }
  });

  it('refuses an unchecksummed PutObject on an Object Lock bucket with S3 XML error, and stores nothing', async () => {
    const response = await put(LOCKED, 'no-checksum.txt', BODY);

    expect(response.headers.get('content-type')).toMatch(/application\/xml/);
    expect(await errorOf(response)).toEqual({ status: 400, code: 'InvalidRequest', message: LOCK_MESSAGE });
    expect(await stored(LOCKED, 'no-checksum.txt')).toBe(false);
  });

  it('accepts the same upload without checksum on a bucket without Object Lock', async () => {
    const response = await put(PLAIN, 'no-checksum.txt', BODY);

    expect(response.status).toBe(200);
    expect(await read(PLAIN, 'no-checksum.txt')).toEqual(BODY);
  });

  it.each(Object.entries(VECTORS))(
    'stores a body whose x-amz-checksum-%s matches, byte-identical',
    async (algorithm, value) => {
      const key = `ok-${algorithm}.bin`;
      const response = await put(LOCKED, key, BODY, { [`x-amz-checksum-${algorithm}`]: value });

      expect(response.status).toBe(200);
      expect(await read(LOCKED, key)).toEqual(BODY);
    },
  );

  it('accepts Content-MD5 as the integrity header', async () => {
    const md5 = createHash('md5').update(BODY).digest('base64');

    const response = await put(LOCKED, 'md5.bin', BODY, { 'content-md5': md5 });

    expect(response.status).toBe(200);
    expect(await read(LOCKED, 'md5.bin')).toEqual(BODY);
  });

  it('refuses checksums that do not match the body (BadDigest), on any bucket', async () => {
    const wrongCrc = await put(PLAIN, 'bad-crc.bin', BODY, { 'x-amz-checksum-crc32': 'z/Q5Jg==' });
    const wrongSha = await put(LOCKED, 'bad-sha.bin', BODY, {
      'x-amz-checksum-sha256': VECTORS.sha256.replace(/^F/, 'G'),
    });
    const wrongMd5 = await put(LOCKED, 'bad-md5.bin', BODY, {
      'content-md5': createHash('md5').update('other').digest('base64'),
    });

    expect(await errorOf(wrongCrc)).toEqual({
      status: 400,
      code: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
    expect(await errorOf(wrongSha)).toMatchObject({
      code: 'BadDigest',
      message: expect.stringMatching(/SHA256/),
    });
    expect(await errorOf(wrongMd5)).toEqual({
      status: 400,
      code: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what we received.',
    });
    for (const [bucket, key] of [
      [PLAIN, 'bad-crc.bin'],
      [LOCKED, 'bad-sha.bin'],
      [LOCKED, 'bad-md5.bin'],
    ] as const) {
      expect(await stored(bucket, key)).toBe(false);
    }
  });

  it('refuses malformed values, several checksums and a dangling x-amz-sdk-checksum-algorithm', async () => {
    const nonCanonical = await put(LOCKED, 'x.bin', BODY, { 'x-amz-checksum-crc32': 'y/Q5Jh==' });
    const tooShort = await put(LOCKED, 'x.bin', BODY, { 'x-amz-checksum-crc32': 'shrt' });
    const badMd5 = await put(LOCKED, 'x.bin', BODY, { 'content-md5': 'not-an-md5' });
    const two = await put(LOCKED, 'x.bin', BODY, {
      'x-amz-checksum-crc32': VECTORS.crc32,
      'x-amz-checksum-sha1': VECTORS.sha1,
    });
    const dangling = await put(LOCKED, 'x.bin', BODY, { 'x-amz-sdk-checksum-algorithm': 'CRC32' });

    const invalid = {
      status: 400,
      code: 'InvalidRequest',
      message: 'Value for x-amz-checksum-crc32 header is invalid.',
    };
    expect(await errorOf(nonCanonical)).toEqual(invalid);
    expect(await errorOf(tooShort)).toEqual(invalid);
    expect(await errorOf(badMd5)).toEqual({
      status: 400,
      code: 'InvalidDigest',
      message: 'The Content-MD5 you specified was not valid.',
    });
    expect(await errorOf(two)).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringMatching(/single/),
    });
    expect(await errorOf(dangling)).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringMatching(/no corresponding x-amz-checksum-\* or x-amz-trailer/),
    });
    expect(await stored(LOCKED, 'x.bin')).toBe(false);
  });

  it('refuses Object Lock headers on a bucket without Object Lock', async () => {
    const response = await put(PLAIN, 'retained.bin', BODY, {
      'x-amz-object-lock-mode': 'GOVERNANCE',
      'x-amz-object-lock-retain-until-date': '2099-01-01T00:00:00Z',
      'x-amz-checksum-crc32': VECTORS.crc32,
    });

    expect(await errorOf(response)).toEqual({
      status: 400,
      code: 'InvalidRequest',
      message: 'Bucket is missing Object Lock Configuration',
    });
  });

  it('decodes an aws-chunked body with a trailer checksum: stored without its framing', async () => {
    const framed = Buffer.from(
      `4\r\n1234\r\n5\r\n56789\r\n0\r\nx-amz-checksum-crc32:${VECTORS.crc32}\r\n\r\n`,
    );
    const chunkedHeaders = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(BODY.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };

    const accepted = await put(LOCKED, 'chunked.bin', framed, chunkedHeaders);
    const badTrailer = await put(
      LOCKED,
      'chunked-bad.bin',
      Buffer.from(framed.toString().replace(VECTORS.crc32, 'z/Q5Jg==')),
      chunkedHeaders,
    );
    const truncated = await put(LOCKED, 'chunked-cut.bin', framed.subarray(0, 12), chunkedHeaders);

    expect(accepted.status).toBe(200);
    expect(await read(LOCKED, 'chunked.bin')).toEqual(BODY);
    const head = await client.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'chunked.bin' }));
    expect(head.ContentEncoding).toBeUndefined();
    expect(head.ContentLength).toBe(BODY.length);
    expect(await errorOf(badTrailer)).toMatchObject({ code: 'BadDigest' });
    expect(await errorOf(truncated)).toMatchObject({ code: 'IncompleteBody' });
    expect(await stored(LOCKED, 'chunked-bad.bin')).toBe(false);
    expect(await stored(LOCKED, 'chunked-cut.bin')).toBe(false);
  });

  it('takes what the SDK sends with its default checksums: in-memory bodies and streamed (aws-chunked) ones', async () => {
    const big = Buffer.alloc(200_000, 7);

    await client.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'sdk-string.txt', Body: 'hola' }));
    await client.send(
      new PutObjectCommand({
        Bucket: LOCKED,
        Key: 'sdk-stream.bin',
        Body: Readable.from([big.subarray(0, 70_000), big.subarray(70_000)]),
        ContentLength: big.length,
      }),
    );

    expect((await read(LOCKED, 'sdk-string.txt')).toString()).toBe('hola');
    expect(await read(LOCKED, 'sdk-stream.bin')).toEqual(big);
  });

  describe("the product's storage adapter (shared/storage/s3)", () => {
    beforeAll(() => {
      Object.assign(process.env, {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_ENDPOINT_URL_S3: s3.url,
        S3_FORCE_PATH_STYLE: 'true',
        DOCUMENTS_BUCKET_NAME: LOCKED,
      });
    });

    it('uploads to the Object Lock bucket with a checksum (string and bytes bodies)', async () => {
      const pdf = Buffer.from('%PDF-1.7 bytes \u00ff\u0000', 'latin1');

      await putObject('tenants/t1/documents/d1/rfe.xml', '<rFE>ñ</rFE>', 'application/xml');
      await putObject('tenants/t1/documents/d1/cafe.pdf', pdf, 'application/pdf');

      expect(Buffer.from(await getObjectBytes('tenants/t1/documents/d1/rfe.xml')).toString()).toBe(
        '<rFE>ñ</rFE>',
      );
      expect(Buffer.from(await getObjectBytes('tenants/t1/documents/d1/cafe.pdf'))).toEqual(pdf);
    });

    it('presigns downloads without checksum parameters, and the URL works over plain HTTP', async () => {
      await putObject('tenants/t1/documents/d2/cafe.pdf', 'pdf', 'application/pdf');

      const url = new URL(
        await presignGet('tenants/t1/documents/d2/cafe.pdf', { expiresInSeconds: 60, fileName: 'FE 1.pdf' }),
      );
      const response = await fetch(url);

      expect([...url.searchParams.keys()].filter((name) => /^x-amz-(sdk-)?checksum/i.test(name))).toEqual([]);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('pdf');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="FE 1.pdf"');
    });
  });
});
