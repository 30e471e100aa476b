import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * The documents bucket in memory, behind the S3 mock: what a step writes, a later step reads. A missing key
 * answers NoSuchKey as S3 does.
 */
export function installBucket(mock: AwsClientStub<S3Client>, objects = new Map<string, Buffer>()) {
  mock.on(PutObjectCommand).callsFake((input: { Key: string; Body: string | Uint8Array }) => {
    objects.set(input.Key, Buffer.from(input.Body));
    return {};
  });
  mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects.get(input.Key);
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToByteArray: async () => new Uint8Array(body) } };
  });
  return {
    objects,
    text: (key: string) => objects.get(key)?.toString('utf8'),
  };
}
