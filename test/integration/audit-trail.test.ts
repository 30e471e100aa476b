import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/config';
import { functionRolesOf } from '#local/iam/roles';
import { loadAssembly } from '#local/template/assembly';
import { TemplateResolver } from '#local/template/intrinsics';
import { auditEntry } from '#shared/audit/entries';
import { keys } from '#shared/data/keys';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  type ApiResponse,
  callApi,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issueAndWait,
  type Json,
  localStack,
  login,
  type Session,
  session,
  tableName,
} from './helpers/local-cloud.ts';

/**
 * The audit trail through the local cloud, as a client sees it: an ADMIN's sensitive actions (HKA credentials
 * set and tested, settings changed, a certificate uploaded and deleted, a branch created, a document
 * cancelled) are listed by GET /v1/audit-events with who acted, from which request and what changed — never a
 * secret —, another tenant's ADMIN sees none of them, other roles are refused, and the entries cannot be
 * updated or deleted with a function's tenant credentials (IAM, judged by the local cloud).
 */

const A = 0;
const B = 1;
const PIN = 'Pin-Del-Certificado-2026';

let adminA: Session;
let adminB: Session;
let credentials: { tokenEmpresa: string; tokenPassword: string };
let originalThreshold: number;
/** requestId of each action's response (API Gateway's `x-amzn-requestid`), by audit action. */
const requests = new Map<string, string>();
let branchCode: string;
let documentId: string;
let certificate: { id: string; fingerprintSha256: string; subject: string; notAfter: string };

const key = () => ({ 'idempotency-key': randomUUID() });
function done(action: string, response: ApiResponse, status: number): void {
  expect(response.status, response.text).toBe(status);
  requests.set(action, response.headers.get('x-amzn-requestid') ?? '');
}
const subOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).sub;

/** Every entry of a caller's trail (all pages). */
async function trailOf(
  caller: Pick<Session, 'call'>,
  query = '',
): Promise<{ entries: Json[]; texts: string[] }> {
  const entries: Json[] = [];
  const texts: string[] = [];
  let cursor: string | undefined;
  do {
    const separator = query ? '&' : '';
    const path = `/v1/audit-events?${query}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await caller.call('GET', path);
    expect(page.status, page.text).toBe(200);
    texts.push(page.text);
    entries.push(...page.body.data.items);
    cursor = page.body.data.nextCursor ?? undefined;
  } while (cursor);
  return { entries, texts };
}

beforeAll(async () => {
  adminA = await session(A, 'ADMIN');
  adminB = await session(B, 'ADMIN');
  // A company of its own at the sandbox: the demo tenant's own pair stays as seeded.
  const company = await hkaSandbox.addTenant({
    name: 'AUDITORIA PRUEBA, S.A.',
    ruc: `1557${String(Date.now()).slice(-5)}-2-2024`,
    rucType: '2',
    tokenEmpresa: `audit${randomUUID().replaceAll('-', '').slice(0, 12)}_ws_tfhka`,
    tokenPassword: `Pw${randomUUID().replaceAll('-', '')}`,
  });
  credentials = { tokenEmpresa: company.tokenEmpresa, tokenPassword: company.tokenPassword };
  originalThreshold = (await adminA.call('GET', '/v1/settings/issuing')).body.data.lowFolioThreshold;

  // The ADMIN's sensitive actions, each through the API.
  done(
    'hka-credentials.set',
    await adminA.call('PUT', '/v1/settings/hka-credentials', {
      body: { environment: 'prod', ...credentials },
    }),
    200,
  );
  done(
    'hka-credentials.tested',
    await adminA.call('POST', '/v1/settings/hka-credentials/test?environment=prod'),
    200,
  );
  done(
    'issuing-settings.changed',
    await adminA.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: originalThreshold + 7 } }),
    200,
  );
  const { ruc, dv, name } = localStack().demo.tenants[A]!;
  const uploaded = await adminA.call('POST', '/v1/certificates', {
    body: { p12: generateTestCertificate({ ruc, dv, name }).toP12(PIN).toString('base64'), pin: PIN },
    headers: key(),
  });
  done('certificate.uploaded', uploaded, 201);
  certificate = uploaded.body.data;
  done('certificate.deleted', await adminA.call('DELETE', `/v1/certificates/${certificate.id}`), 200);
  branchCode = `Z${randomUUID()
    .replace(/[^0-9a-z]/gi, '')
    .slice(0, 3)}`;
  done(
    'branch.created',
    await adminA.call('POST', '/v1/branches', {
      body: {
        code: branchCode,
        name: 'Sucursal Auditoría',
        address: 'Calle 50, Ciudad de Panamá',
        location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
        phones: ['507-0000'],
      },
      headers: key(),
    }),
    201,
  );
  const doc = await issueAndWait(adminA, exampleDocument('invoice-final-consumer.json'));
  expect(doc.status).toBe('AUTHORIZED');
  documentId = doc.id;
  done(
    'document.cancelled',
    await adminA.call('POST', `/v1/documents/${documentId}/cancel`, {
      body: { reason: 'Error en los datos del receptor de la factura' },
      headers: key(),
    }),
    200,
  );
}, 240_000);

afterAll(async () => {
  if (!adminA) return;
  // Other files share the tenant: its threshold and a certificate on file, as seeded.
  await adminA.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: originalThreshold } });
  if ((await adminA.call('GET', '/v1/certificates')).body?.data?.length === 0) {
    const { ruc, dv, name } = localStack().demo.tenants[A]!;
    await adminA.call('POST', '/v1/certificates', {
      body: { p12: generateTestCertificate({ ruc, dv, name }).toP12(PIN).toString('base64'), pin: PIN },
      headers: key(),
    });
  }
});

describe('GET /v1/audit-events', () => {
  it('lists each action with the actor, the request and what changed, newest first', async () => {
    // Act
    const { entries } = await trailOf(adminA);

    // Assess
    const actor = { type: 'user', id: subOf(adminA.token), email: adminA.user.email };
    const ours = entries.filter((entry) => [...requests.values()].includes(entry.requestId));
    const expected: Record<string, { target: Json; changes: Json }> = {
      'hka-credentials.set': {
        target: { type: 'hka-credentials', id: 'prod' },
        changes: { environment: { to: 'prod' } },
      },
      'hka-credentials.tested': {
        target: { type: 'hka-credentials', id: 'prod' },
        changes: { result: { to: 'ok' } },
      },
      'issuing-settings.changed': {
        target: { type: 'settings', id: 'issuing' },
        changes: { lowFolioThreshold: { from: originalThreshold, to: originalThreshold + 7 } },
      },
      'certificate.uploaded': {
        target: { type: 'certificate', id: certificate.id },
        changes: {
          subject: { to: certificate.subject },
          fingerprintSha256: { to: certificate.fingerprintSha256 },
          notAfter: { to: certificate.notAfter },
        },
      },
      'certificate.deleted': {
        target: { type: 'certificate', id: certificate.id },
        changes: {
          subject: { from: certificate.subject },
          fingerprintSha256: { from: certificate.fingerprintSha256 },
          notAfter: { from: certificate.notAfter },
        },
      },
      'branch.created': {
        target: { type: 'branch', id: branchCode },
        changes: { name: { to: 'Sucursal Auditoría' }, address: { to: 'Calle 50, Ciudad de Panamá' } },
      },
      'document.cancelled': {
        target: { type: 'document', id: documentId },
        changes: {
          status: { from: 'AUTHORIZED', to: 'CANCELLED' },
          reason: { to: 'Error en los datos del receptor de la factura' },
        },
      },
    };
    // Newest first: the actions were taken in this order.
    expect(ours.map((entry) => entry.action)).toEqual(Object.keys(expected).reverse());
    for (const entry of ours) {
      expect(entry, entry.action).toMatchObject({
        ...expected[entry.action],
        actor,
        requestId: requests.get(entry.action),
        sourceIp: expect.stringMatching(/^[0-9a-f.:]+$/),
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      });
    }
  });

  it('filters by action and actor', async () => {
    // Act
    const cancelled = await trailOf(adminA, 'action=document.cancelled');
    const byOther = await trailOf(adminA, 'actorId=nobody');

    // Assess
    expect(cancelled.entries.length).toBeGreaterThanOrEqual(1);
    expect(cancelled.entries.every((entry) => entry.action === 'document.cancelled')).toBe(true);
    expect(cancelled.entries.map((entry) => entry.target.id)).toContain(documentId);
    expect(byOther.entries).toEqual([]);
    const unknown = await adminA.call('GET', '/v1/audit-events?action=document.deleted');
    expect(unknown.status, unknown.text).toBe(422);
    expect(unknown.body.details[0].message).toContain('hka-credentials.set');
  });

  it('carries no secret: neither the API’s answers nor the stored entries', async () => {
    // Act
    const { texts } = await trailOf(adminA);
    const stored = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `T#${adminA.user.tenantId}#AUDIT` } },
      }),
    );

    // Assess
    expect(stored.Items?.length).toBeGreaterThanOrEqual(requests.size);
    const everything = [...texts, JSON.stringify(stored.Items)].join('\n');
    for (const secret of [credentials.tokenEmpresa, credentials.tokenPassword, PIN]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain('PRIVATE KEY');
  });

  it('another tenant’s ADMIN sees none of them; USER and OPERATOR are refused', async () => {
    // Act
    const { entries } = await trailOf(adminB);
    const refused = await Promise.all(
      (['USER', 'OPERATOR'] as const).map(async (role) =>
        (await session(A, role)).call('GET', '/v1/audit-events'),
      ),
    );

    // Assess
    const ours = new Set(requests.values());
    expect(entries.filter((entry) => ours.has(entry.requestId))).toEqual([]);
    expect(entries.filter((entry) => entry.actor.id === subOf(adminA.token))).toEqual([]);
    for (const response of refused) {
      expect(response.status, response.text).toBe(403);
      expect(response.body.code).toBe('ROLE_NOT_ALLOWED');
    }
  });
});

describe('the platform’s trail', () => {
  it('a SUPER_ADMIN without a tenant reads the platform’s entries; a tenant ADMIN never does', async () => {
    // Prepare: a platform action's entry, as the platform routes write them.
    const { email, password } = localStack().demo.platformUsers[0]!;
    const token = await login(email, password);
    const superAdmin: Pick<Session, 'call'> = {
      call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
    };
    const entry = auditEntry(
      {
        actor: { type: 'user', id: subOf(token), email },
        origin: { requestId: randomUUID(), sourceIp: '127.0.0.1' },
      },
      null,
      { action: 'tenant.suspended', target: { type: 'tenant', id: `audit-${randomUUID().slice(0, 8)}` } },
    );
    await DynamoDBDocumentClient.from(dynamoClient()).send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.auditEntry(null, entry.at, entry.entryId), ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    // Act
    const platform = await trailOf(superAdmin);
    const tenant = await trailOf(adminA);

    // Assess
    expect(platform.entries.map((item) => item.id)).toContain(entry.entryId);
    expect(platform.entries.find((item) => item.id === entry.entryId)).toMatchObject({
      action: 'tenant.suspended',
      target: entry.target,
    });
    expect(platform.entries.map((item) => item.requestId)).not.toContain(requests.get('branch.created'));
    expect(tenant.entries.map((item) => item.id)).not.toContain(entry.entryId);
  });
});

describe('append-only, by IAM', () => {
  it('a function’s tenant credentials read an entry but may not update or delete it', async () => {
    // Prepare: the cancel route's tenant role, which may update and delete the tenant's other items.
    const assemblyDir = process.env.FACTU_ASSEMBLY_DIR ?? join(REPO_ROOT, 'cdk.out');
    const resolver = new TemplateResolver(loadAssembly(assemblyDir), { sqsEndpoint: 'http://127.0.0.1:1' });
    const role = functionRolesOf(resolver).find(
      (fn) => fn.entry === 'functions/api/documents/cancel-document.ts',
    )!.tenantRoleArn!;
    const { endpoints, credentials: local, cognito } = localStack();
    const tenantId = adminA.user.tenantId;
    const sts = new STSClient({ region: cognito.region, endpoint: endpoints.sts, credentials: { ...local } });
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role,
        RoleSessionName: `tenant-${tenantId}`,
        Tags: [{ Key: 'tenantId', Value: tenantId }],
      }),
    );
    const dynamodb = new DynamoDBClient({
      region: cognito.region,
      endpoint: endpoints.dynamodb,
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    const { Items = [] } = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `T#${tenantId}#AUDIT` } },
        Limit: 1,
      }),
    );
    const entry = Items[0]!;
    const entryKey = { pk: entry.pk!, sk: entry.sk! };

    // Act
    const read = await dynamodb.send(new GetItemCommand({ TableName: tableName(), Key: entryKey }));
    const update = dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: entryKey,
        UpdateExpression: 'SET #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': { S: 'document.retried' } },
      }),
    );
    const remove = dynamodb.send(new DeleteItemCommand({ TableName: tableName(), Key: entryKey }));

    // Assess
    expect(read.Item?.sk).toEqual(entry.sk);
    await expect(update).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('explicit deny'),
    });
    await expect(remove).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const after = await dynamoClient().send(new GetItemCommand({ TableName: tableName(), Key: entryKey }));
    expect(after.Item).toEqual(entry);
    dynamodb.destroy();
    sts.destroy();
  });
});
