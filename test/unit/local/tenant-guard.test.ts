import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID } from '#local/aws';
import { type DynamoDbFront, startDynamoDbFront } from '#local/iam/dynamodb-front';
import type { RoleModel } from '#local/iam/roles';
import { dynamoDbAccesses, s3Access, type TableSchema, TenantGuard } from '#local/iam/tenant-guard';
import { StsSessions } from '#local/standins/sts';

const TABLE = 'factu-table';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/${TABLE}`;
const tables = new Map<string, TableSchema>([
  [TABLE, { arn: TABLE_ARN, partitionKey: 'pk', indexes: new Map([['gsi1', 'gsi1pk']]) }],
]);
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/get-document-tenant`;
const tenantVariable = ['$', '{aws:PrincipalTag/tenantId}'].join('');

/** A tenant role as infra/constructs/grants.ts writes one (items and objects of the session's tenant). */
const role: RoleModel = {
  arn: ROLE_ARN,
  name: 'get-document-tenant',
  logicalId: 'GetDocumentTenantAccessRole',
  trustPolicy: { Statement: [] },
  policies: [
    {
      name: 'TenantData',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: [TABLE_ARN, `${TABLE_ARN}/index/gsi1`],
            Condition: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': [`T#${tenantVariable}`, `T#${tenantVariable}#*`],
              },
            },
          },
          {
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: [`arn:aws:s3:::documents/tenants/${tenantVariable}/*`],
          },
        ],
      },
    },
  ],
};

describe('what a DynamoDB or S3 call is authorized as', () => {
  it('one question per item action, with the partition keys it touches', () => {
    expect(
      dynamoDbAccesses(
        'GetItem',
        { TableName: TABLE, Key: { pk: { S: 'T#a#DOC#1' }, sk: { S: 'DOC' } } },
        tables,
      ),
    ).toEqual([{ action: 'dynamodb:GetItem', resource: TABLE_ARN, leadingKeys: ['T#a#DOC#1'] }]);
    expect(
      dynamoDbAccesses(
        'Query',
        {
          TableName: TABLE,
          IndexName: 'gsi1',
          KeyConditionExpression: '#p = :pk AND begins_with(gsi1sk, :from)',
          ExpressionAttributeNames: { '#p': 'gsi1pk' },
          ExpressionAttributeValues: { ':pk': { S: 'T#a#DOCS' }, ':from': { S: '2026' } },
        },
        tables,
      ),
    ).toEqual([{ action: 'dynamodb:Query', resource: `${TABLE_ARN}/index/gsi1`, leadingKeys: ['T#a#DOCS'] }]);
    expect(
      dynamoDbAccesses(
        'TransactWriteItems',
        {
          TransactItems: [
            { Update: { TableName: TABLE, Key: { pk: { S: 'T#a#SERIES#0000#001' } } } },
            { Put: { TableName: TABLE, Item: { pk: { S: 'T#a#DOC#1' } } } },
            { ConditionCheck: { TableName: TABLE, Key: { pk: { S: 'T#a' } } } },
          ],
        },
        tables,
      ).map((access) => [access.action, access.leadingKeys]),
    ).toEqual([
      ['dynamodb:UpdateItem', ['T#a#SERIES#0000#001']],
      ['dynamodb:PutItem', ['T#a#DOC#1']],
      ['dynamodb:ConditionCheckItem', ['T#a']],
    ]);
    expect(
      dynamoDbAccesses(
        'BatchWriteItem',
        {
          RequestItems: {
            [TABLE]: [
              { PutRequest: { Item: { pk: { S: 'T#a#DOC#1' } } } },
              { DeleteRequest: { Key: { pk: { S: 'T#b' } } } },
            ],
          },
        },
        tables,
      ),
    ).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE_ARN, leadingKeys: ['T#a#DOC#1', 'T#b'] },
    ]);
    // A key condition the front cannot read is never taken as "no keys" (which ForAllValues would allow).
    expect(
      dynamoDbAccesses('Query', { TableName: TABLE, KeyConditionExpression: 'weird(pk)' }, tables)[0]!
        .leadingKeys,
    ).toEqual(['(unreadable key condition)']);
    expect(s3Access('GET', '/documents/tenants/a/documents/d1/rfe.xml', new URLSearchParams())).toEqual({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::documents/tenants/a/documents/d1/rfe.xml',
    });
    expect(s3Access('PUT', '/documents/tenants/a/x.json', new URLSearchParams()).action).toBe('s3:PutObject');
  });

  it('authorizes each request of a multipart upload as S3 does', () => {
    // Prepare
    const key = '/work/tenants/a/exports/x.zip';
    const upload = (method: string, query: string) =>
      s3Access(method, key, new URLSearchParams(query)).action;

    // Act / Assess
    expect(upload('POST', 'uploads')).toBe('s3:PutObject');
    expect(upload('PUT', 'partNumber=1&uploadId=u1&x-id=UploadPart')).toBe('s3:PutObject');
    expect(upload('POST', 'uploadId=u1')).toBe('s3:PutObject');
    expect(upload('GET', 'uploadId=u1')).toBe('s3:ListMultipartUploadParts');
    expect(upload('DELETE', 'uploadId=u1&x-id=AbortMultipartUpload')).toBe('s3:AbortMultipartUpload');
    expect(upload('DELETE', '')).toBe('s3:DeleteObject');
  });

  it('the guard decides with the role’s policy and the session’s tenant tag', () => {
    const sessions = new StsSessions();
    const session = sessions.issue(role, 'tenant-a', { tenantId: 'a' }, 3600);
    const guard = new TenantGuard(() => new Map([[ROLE_ARN, role]]));
    const object = (key: string) => [s3Access('GET', `/documents/${key}`, new URLSearchParams())];
    expect(guard.refusal(session, object('tenants/a/documents/d1/rfe.xml'))).toBeUndefined();
    expect(guard.refusal(session, object('tenants/a-2/documents/d1/rfe.xml'))).toMatch(
      /not authorized to perform: s3:GetObject/,
    );
    expect(guard.refusal(session, [{ action: 'dynamodb:Scan', resource: TABLE_ARN }])).toMatch(
      /dynamodb:Scan/,
    );
  });
});

describe('the audit trail’s Deny', () => {
  /** A writer's tenant role as infra/constructs/grants.ts writes one: its tenant's items, audit entries append-only. */
  const writer: RoleModel = {
    ...role,
    policies: [
      {
        name: 'TenantData',
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'dynamodb:PutItem',
                'dynamodb:UpdateItem',
                'dynamodb:DeleteItem',
                'dynamodb:BatchWriteItem',
              ],
              Resource: [TABLE_ARN],
              Condition: {
                'ForAllValues:StringLike': {
                  'dynamodb:LeadingKeys': [`T#${tenantVariable}`, `T#${tenantVariable}#*`],
                },
              },
            },
            {
              Sid: 'AuditTrailAppendOnly',
              Effect: 'Deny',
              Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
              Resource: [TABLE_ARN],
              Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['T#*#AUDIT'] } },
            },
          ],
        },
      },
    ],
  };
  const guard = new TenantGuard(() => new Map([[ROLE_ARN, writer]]));
  const session = new StsSessions().issue(writer, 'tenant-a', { tenantId: 'a' }, 3600);
  const judge = (operation: string, body: Record<string, unknown>) =>
    guard.refusal(session, dynamoDbAccesses(operation, { TableName: TABLE, ...body }, tables));
  const entry = { pk: { S: 'T#a#AUDIT' }, sk: { S: '2026-11-22T14:00:00.000Z#01KAQ' } };

  it('puts an entry; an update, delete or batch write of one is explicitly denied, alone or in a transaction', () => {
    // Act + Assess
    expect(judge('PutItem', { Item: entry })).toBeUndefined();
    expect(judge('UpdateItem', { Key: { pk: { S: 'T#a#DOC#1' }, sk: { S: 'DOC' } } })).toBeUndefined();
    const explicit = /is not authorized to perform: dynamodb:\w+ on resource: .* with an explicit deny/;
    expect(judge('UpdateItem', { Key: entry })).toMatch(explicit);
    expect(judge('DeleteItem', { Key: entry })).toMatch(explicit);
    expect(
      judge('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: { S: 'T#a#DOC#1' }, sk: { S: 'DOC' } } } },
          { Delete: { TableName: TABLE, Key: entry } },
        ],
      }),
    ).toMatch(/dynamodb:DeleteItem .* explicit deny/);
    expect(
      judge('BatchWriteItem', {
        RequestItems: {
          [TABLE]: [
            { PutRequest: { Item: { pk: { S: 'T#a#DOC#1' }, sk: { S: 'DOC' } } } },
            { PutRequest: { Item: entry } },
          ],
        },
      }),
    ).toMatch(/dynamodb:BatchWriteItem .* explicit deny/);
    // The platform's trail as much as the tenant's.
    expect(judge('DeleteItem', { Key: { ...entry, pk: { S: 'T#_platform#AUDIT' } } })).toMatch(/deny/);
  });
});

describe('the DynamoDB front', () => {
  const sessions = new StsSessions();
  const guard = new TenantGuard(() => new Map([[ROLE_ARN, role]]));
  const relayed: string[] = [];
  let upstream: Server;
  let front: DynamoDbFront;

  beforeAll(async () => {
    // Stands for DynamoDB Local: answers every relayed request with an empty result.
    upstream = createServer((request, response) => {
      relayed.push(String(request.headers['x-amz-target']));
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    front = await startDynamoDbFront({
      targetUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      sessions: (accessKeyId) => sessions.lookup(accessKeyId),
      guard,
      tables,
    });
  });
  afterAll(async () => {
    await front.stop();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new DynamoDBClient({ region: 'us-east-1', endpoint: front.url, credentials });

  it('relays a tenant session’s own items and refuses another tenant’s with AccessDeniedException', async () => {
    // Prepare
    const session = sessions.issue(role, 'tenant-a', { tenantId: 'a' }, 3600);
    const client = clientFor(session);
    const get = (pk: string) =>
      client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: 'DOC' } } }));
    relayed.length = 0;

    // Act + Assess
    await expect(get('T#a#DOC#1')).resolves.toBeDefined();
    await expect(get('T#a-2#DOC#1')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'T#b' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: { S: 'T#a#DOC#2' }, sk: { S: 'DOC' } } } },
            { Put: { TableName: TABLE, Item: { pk: { S: 'T#b#DOC#2' }, sk: { S: 'DOC' } } } },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(relayed).toEqual(['DynamoDB_20120810.GetItem']);
    client.destroy();
  });

  it('refuses an expired session and relays requests signed with other keys untouched', async () => {
    const expired = sessions.issue(role, 'tenant-a', { tenantId: 'a' }, 0);
    const admin = clientFor({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    relayed.length = 0;
    await expect(
      clientFor(expired).send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'T#a' }, sk: { S: 'X' } } }),
      ),
    ).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    await expect(
      admin.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'T#b' }, sk: { S: 'X' } } })),
    ).resolves.toBeDefined();
    expect(relayed).toEqual(['DynamoDB_20120810.GetItem']);
    admin.destroy();
  });
});
