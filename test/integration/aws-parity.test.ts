import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDocument, issueAndWait, localStack, type Session, session } from './helpers/local-cloud.ts';

/**
 * The local cloud refuses what AWS refuses (docs/aws-parity.md), end to end: a client that skips the integrity
 * checksum on the Object Lock documents bucket is turned away, while the product's own uploads (the issuing
 * pipeline) and presigned downloads go through.
 */
describe('AWS parity of the local cloud', () => {
  let user: Session;
  let documentsBucket: string;
  let s3: S3Client;

  beforeAll(async () => {
    user = await session(0, 'USER');
    const stack = localStack();
    // The documents bucket is the versioned, Object Lock one; the other is its access-logs target.
    documentsBucket = stack.resources.buckets.find((name) => /documents/i.test(name) && !/log/i.test(name))!;
    s3 = new S3Client({
      region: stack.cognito.region,
      endpoint: stack.endpoints.s3,
      forcePathStyle: true,
      credentials: { ...stack.credentials },
      // A client configured like the local cloud used to configure every function: no checksum unless required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });

  afterAll(() => s3.destroy());

  it('refuses a PutObject without Content-MD5 or x-amz-checksum-* on the documents bucket (Object Lock)', async () => {
    const key = `tenants/${user.user.tenantId}/documents/parity-probe/input.json`;

    await expect(
      s3.send(new PutObjectCommand({ Bucket: documentsBucket, Key: key, Body: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidRequest',
      message:
        'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
      $metadata: { httpStatusCode: 400 },
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: documentsBucket, Prefix: key }));
    expect(listed.KeyCount).toBe(0);
  });

  it("stores the product's uploads (checksummed) and serves them through presigned URLs free of checksum parameters", async () => {
    const document = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
    expect(document.status).toBe('AUTHORIZED');

    for (const [kind, signature] of [
      ['pdf', '%PDF-'],
      ['xml', '<?xml'],
    ] as const) {
      const link = await user.call('GET', `/v1/documents/${document.id}/${kind}`);
      expect(link.status, link.text).toBe(200);
      const url = new URL(link.body.data.url);
      const download = await fetch(url);

      expect([...url.searchParams.keys()].filter((name) => /^x-amz-(sdk-)?checksum/i.test(name))).toEqual([]);
      expect(download.status).toBe(200);
      expect(
        Buffer.from(await download.arrayBuffer())
          .subarray(0, signature.length)
          .toString(),
      ).toBe(signature);
    }
    // What the pipeline stored is byte for byte what S3 hands back (no aws-chunked framing, no re-encoding).
    const stored = await s3.send(
      new GetObjectCommand({
        Bucket: documentsBucket,
        Key: `tenants/${user.user.tenantId}/documents/${document.id}/computed.json`,
      }),
    );
    expect(JSON.parse(await stored.Body!.transformToString())).toMatchObject({ type: expect.any(String) });
  });

  it('reports each state machine with the StateMachineType of the synthesized template', async () => {
    const stack = localStack();
    const sfn = new SFNClient({
      region: stack.cognito.region,
      endpoint: stack.endpoints.sfn,
      credentials: { ...stack.credentials },
    });
    const declared = templateStateMachineTypes();

    const reported = Object.fromEntries(
      await Promise.all(
        stack.resources.stateMachines.map(async (stateMachineArn) => {
          const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
          return [machine.name, machine.type] as const;
        }),
      ),
    );
    sfn.destroy();

    expect(Object.keys(declared).length).toBeGreaterThan(0);
    expect(reported).toEqual(declared);
  });
});

/** `StateMachineName` → `StateMachineType` (STANDARD when absent) in the assembly the local cloud runs. */
function templateStateMachineTypes(): Record<string, string> {
  const assemblyDir =
    process.env.FACTU_ASSEMBLY_DIR ?? fileURLToPath(new URL('../../cdk.out', import.meta.url));
  const types: Record<string, string> = {};
  for (const file of readdirSync(assemblyDir).filter((name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as {
      Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      types[String(resource.Properties?.StateMachineName)] = String(
        resource.Properties?.StateMachineType ?? 'STANDARD',
      );
    }
  }
  return types;
}
