import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/config';
import { functionRolesOf } from '#local/iam/roles';
import { loadAssembly } from '#local/template/assembly';
import { TemplateResolver } from '#local/template/intrinsics';
import { localStack } from './helpers/local-cloud.ts';

/**
 * The credentials a function holds for tenant A, as the local cloud issues and judges them: its tenant role
 * assumed through the STS stand-in with the session tag, then A's items and objects reachable and B's refused
 * with AccessDenied by the DynamoDB and S3 endpoints, from the synthesized policies. The same requests a
 * repository bug would send.
 */

let tenantRoleArn: string;
let tableName: string;
let bucketName: string;
let sts: STSClient;

beforeAll(async () => {
  const assemblyDir = process.env.FACTU_ASSEMBLY_DIR ?? join(REPO_ROOT, 'cdk.out');
  const resolver = new TemplateResolver(loadAssembly(assemblyDir), { sqsEndpoint: 'http://127.0.0.1:1' });
  const fn = functionRolesOf(resolver).find(
    (candidate) => candidate.entry === 'functions/pipeline/submit-to-hka.ts',
  );
  tenantRoleArn = fn!.tenantRoleArn!;
  const stateful = resolver.stacks.find((stack) => stack.stackName === 'Factu-Stateful')!;
  tableName = resolver.resolveString({ 'Fn::ImportValue': 'Factu-Stateful-TableName' }, stateful);
  bucketName = resolver.resolveString({ 'Fn::ImportValue': 'Factu-Stateful-DocumentsBucketName' }, stateful);
  const { endpoints, credentials, cognito } = localStack();
  sts = new STSClient({ region: cognito.region, endpoint: endpoints.sts, credentials: { ...credentials } });
});

afterAll(() => sts?.destroy());

const tenants = () => localStack().demo.tenants.map((tenant) => tenant.tenantId);

async function sessionOf(tenantId: string) {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: tenantRoleArn,
      RoleSessionName: `tenant-${tenantId}`,
      DurationSeconds: 3600,
      Tags: [{ Key: 'tenantId', Value: tenantId }],
    }),
  );
  const { AccessKeyId, SecretAccessKey, SessionToken } = out.Credentials!;
  return { accessKeyId: AccessKeyId!, secretAccessKey: SecretAccessKey!, sessionToken: SessionToken! };
}

describe('tenant sessions on the local cloud', () => {
  it('a session of tenant A reads A’s items and gets AccessDenied on B’s', async () => {
    // Prepare
    const [a, b] = tenants() as [string, string];
    const { endpoints, cognito } = localStack();
    const dynamodb = new DynamoDBClient({
      region: cognito.region,
      endpoint: endpoints.dynamodb,
      credentials: await sessionOf(a),
    });
    const profile = (tenantId: string) =>
      dynamodb.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: `T#${tenantId}` }, sk: { S: 'PROFILE' } },
        }),
      );

    // Act + Assess
    expect((await profile(a)).Item?.pk?.S).toBe(`T#${a}`);
    await expect(profile(b)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      dynamodb.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'T#_platform' }, sk: { S: `TENANT#${a}` } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    dynamodb.destroy();
  });

  it('a session of tenant A reaches objects under tenants/A/ only', async () => {
    // Prepare
    const [a, b] = tenants() as [string, string];
    const { endpoints, cognito } = localStack();
    const s3 = new S3Client({
      region: cognito.region,
      endpoint: endpoints.s3,
      forcePathStyle: true,
      credentials: await sessionOf(a),
    });
    const get = (key: string) => s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));

    // Act + Assess: allowed but absent → NoSuchKey; another tenant's prefix → AccessDenied.
    await expect(get(`tenants/${a}/documents/none/rfe.xml`)).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(get(`tenants/${b}/documents/none/rfe.xml`)).rejects.toMatchObject({ name: 'AccessDenied' });
    s3.destroy();
  });

  it('the tenant role is refused to sessions without the tenant tag or tagged as a platform partition', async () => {
    const assume = (tags: { Key: string; Value: string }[]) =>
      sts.send(new AssumeRoleCommand({ RoleArn: tenantRoleArn, RoleSessionName: 'probe', Tags: tags }));
    await expect(assume([])).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume([{ Key: 'tenantId', Value: '_platform' }])).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});
