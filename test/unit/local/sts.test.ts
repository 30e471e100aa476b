import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID } from '#local/aws';
import type { RoleModel } from '#local/iam/roles';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { StsSessions, stsService } from '#local/standins/sts';

const EXECUTION = `arn:aws:iam::${ACCOUNT_ID}:role/get-document`;
const TENANT_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/get-document-tenant`;

/** The two roles as infra synthesizes them for one function (trust policy of infra/constructs/tenant-access-role.ts). */
const roles = new Map<string, RoleModel>([
  [
    EXECUTION,
    {
      arn: EXECUTION,
      name: 'get-document',
      logicalId: 'GetDocumentRole',
      trustPolicy: { Statement: [] },
      policies: [
        {
          name: 'default',
          policy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: TENANT_ROLE },
            ],
          },
        },
      ],
    },
  ],
  [
    TENANT_ROLE,
    {
      arn: TENANT_ROLE,
      name: 'get-document-tenant',
      logicalId: 'GetDocumentTenantAccessRole',
      maxSessionDuration: 3600,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: EXECUTION },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: {
              Null: { 'aws:RequestTag/tenantId': 'false' },
              'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] },
              StringNotLike: { 'aws:RequestTag/tenantId': '_*' },
            },
          },
        ],
      },
      policies: [],
    },
  ],
]);

describe('STS stand-in (AssumeRole with session tags, Query protocol)', () => {
  const sessions = new StsSessions();
  let server: Server;
  let sts: STSClient;

  beforeAll(async () => {
    server = await startJsonProtocolServer([], { port: 0, query: stsService(sessions, () => roles) });
    sts = new STSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    sts.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const assume = (input: Partial<AssumeRoleCommand['input']>) =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: TENANT_ROLE,
        RoleSessionName: 'tenant-acme',
        DurationSeconds: 3600,
        Tags: [{ Key: 'tenantId', Value: 'acme' }],
        ...input,
      }),
    );

  it('issues session credentials and remembers their role, tags and expiry', async () => {
    // Act
    const out = await assume({});

    // Assess
    const credentials = out.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.Expiration!.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/get-document-tenant/tenant-acme`,
    );
    const found = sessions.lookup(credentials.AccessKeyId!);
    expect(found).toMatchObject({
      expired: false,
      session: {
        roleArn: TENANT_ROLE,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        tags: { tenantId: 'acme' },
      },
    });
    expect(sessions.lookup('ASIAUNKNOWN')).toBeUndefined();
  });

  it('refuses what the trust policy refuses: no tenant tag, another tag, a platform partition, an unknown role', async () => {
    await expect(assume({ Tags: [] })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      assume({
        Tags: [
          { Key: 'tenantId', Value: 'acme' },
          { Key: 'role', Value: 'admin' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume({ Tags: [{ Key: 'tenantId', Value: '_platform' }] })).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(assume({ RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/nope` })).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('refuses malformed requests as STS does', async () => {
    await expect(assume({ DurationSeconds: 7200 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/MaxSessionDuration/),
    });
    await expect(assume({ DurationSeconds: 600 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(assume({ RoleSessionName: 'has space' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(assume({ RoleArn: 'not-an-arn' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
