import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { checkPresignedSignature } from '#local/emulators/s3-presigned';

const SECRET = 'S3RVER';
const client = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:4569',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: SECRET },
});

async function presign(key: string): Promise<URL> {
  const command = new GetObjectCommand({
    Bucket: 'documents',
    Key: key,
    ResponseContentDisposition: 'attachment; filename="FE 0000000001.pdf"',
  });
  return new URL(await getSignedUrl(client, command, { expiresIn: 300 }));
}

const check = (url: URL, secret = SECRET) =>
  checkPresignedSignature(
    { method: 'GET', rawUrl: `${url.pathname}${url.search}`, headers: { host: url.host } },
    (accessKeyId) => (accessKeyId === 'S3RVER' ? secret : undefined),
  );

describe('presigned URL signatures (SigV4 query) in the local S3', () => {
  it.each(['tenants/t1/documents/01ABC/cafe.pdf', 'a b/ñ+(x)*!.pdf'])(
    'accepts what the SDK presigned (%s)',
    async (key) => {
      expect(check(await presign(key))).toBeUndefined();
    },
  );

  it('refuses another signature, another object, another response header or another secret', async () => {
    const url = await presign('tenants/t1/documents/01ABC/cafe.pdf');
    const signature = new URL(url);
    signature.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect(check(signature)).toMatch(/does not match/);
    const object = new URL(url);
    object.pathname = object.pathname.replace('cafe.pdf', 'rfe.xml');
    expect(check(object)).toMatch(/does not match/);
    const header = new URL(url);
    header.searchParams.set('response-content-disposition', 'inline');
    expect(check(header)).toMatch(/does not match/);
    expect(check(url, 'another-secret')).toMatch(/does not match/);
  });

  it('leaves requests without a SigV4 query signature to s3rver', () => {
    expect(
      checkPresignedSignature(
        { method: 'GET', rawUrl: '/documents/key', headers: { host: 'x' } },
        () => SECRET,
      ),
    ).toBeUndefined();
  });
});
