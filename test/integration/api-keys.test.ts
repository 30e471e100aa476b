import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '#infra/constructs/api';
import { API_KEY_SECRET_PATTERN } from '#shared/auth/api-key-secret';
import {
  type ApiResponse,
  atRealClock,
  callApi,
  dynamoClient,
  exampleDocument,
  flushAuthorizerCache,
  issue,
  localStack,
  type Session,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * API keys end to end, as an integrator uses them: created by the tenant's ADMIN, sent as
 * `Authorization: Bearer fk_…` through the template's Lambda authorizer, revoked, expired.
 */

/** A client holding an API key instead of an ID token. */
function keySession(secret: string): Session {
  return {
    user: undefined as never,
    token: secret,
    call: (method, path, options = {}) => callApi(method, path, { ...options, token: secret }),
  };
}

let admin: Session;
const createdSecrets: string[] = [];

async function createKey(
  owner: Session,
  body: Record<string, unknown>,
  idempotencyKey: string = randomUUID(),
): Promise<ApiResponse> {
  const response = await owner.call('POST', '/v1/api-keys', {
    body,
    headers: { 'idempotency-key': idempotencyKey },
  });
  if (typeof response.body?.data?.secret === 'string') createdSecrets.push(response.body.data.secret);
  return response;
}

beforeAll(async () => {
  admin = await session(0, 'ADMIN');
});

describe('API keys', () => {
  it('a created key issues a document to AUTHORIZED as itself; the list shows its use; revoked, it is refused', async () => {
    // Prepare
    const idempotencyKey = randomUUID();
    const body = { name: 'Point of sale integration', role: 'USER', environment: 'test' };

    // Act
    const created = await createKey(admin, body, idempotencyKey);
    const replayed = await createKey(admin, body, idempotencyKey);
    const key = keySession(created.body.data.secret);
    const issued = await issue(key, atRealClock(exampleDocument('invoice-taxpayer.json')));
    const final = await waitForFinal(key, issued.body?.data?.id);
    const { Item } = await dynamoClient().send(
      new GetItemCommand({
        TableName: tableName(),
        Key: {
          pk: { S: `T#${localStack().demo.tenants[0]!.tenantId}#DOC#${issued.body.data.id}` },
          sk: { S: 'DOC' },
        },
      }),
    );
    const listed = await admin.call('GET', '/v1/api-keys');
    const revoked = await admin.call('DELETE', `/v1/api-keys/${created.body.data.id}`);
    const revokedAgain = await admin.call('DELETE', `/v1/api-keys/${created.body.data.id}`);
    await flushAuthorizerCache();
    const afterRevocation = await key.call('GET', '/v1/documents');

    // Assess
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.any(String),
      name: 'Point of sale integration',
      prefix: created.body.data.secret.slice(0, 'fk_test_'.length + 8),
      role: 'USER',
      environment: 'test',
      createdAt: expect.any(String),
      expiresAt: null,
      secret: expect.stringMatching(API_KEY_SECRET_PATTERN),
    });
    expect(created.headers.get('location')).toBe(`/v1/api-keys/${created.body.data.id}`);
    // The replay never shows the secret again: it was never stored in clear.
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.data.id).toBe(created.body.data.id);
    expect(replayed.body.data.secret).toBeUndefined();
    expect(issued.status, issued.text).toBe(202);
    expect(final.body.data.status).toBe('AUTHORIZED');
    expect(unmarshall(Item!).createdBy).toBe(`api-key:${created.body.data.id}`);
    expect(listed.status).toBe(200);
    const listedKey = listed.body.data.find(
      (candidate: { id: string }) => candidate.id === created.body.data.id,
    );
    expect(listedKey).toMatchObject({ prefix: created.body.data.prefix, lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.data.secret);
    expect(revoked.status).toBe(200);
    expect(revokedAgain.status).toBe(404);
    expect(afterRevocation.status).toBe(401);
    expect(afterRevocation.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a key holds its role and its tenant: an OPERATOR key reads but cannot issue; tenant B’s key finds none of A’s documents', async () => {
    // Prepare
    const tenantA = localStack().demo.tenants[0]!;
    const tenantB = localStack().demo.tenants[1]!;
    const operatorA = keySession(tenantA.apiKeys.find((key) => key.role === 'OPERATOR')!.secret);
    const userB = keySession(tenantB.apiKeys.find((key) => key.role === 'USER')!.secret);
    const adminB = await session(1, 'ADMIN');
    const created = await createKey(admin, { name: 'to be revoked by A only', role: 'OPERATOR' });
    const issued = await issue(admin, atRealClock(exampleDocument('invoice-taxpayer.json')));

    // Act
    const operatorReads = await operatorA.call('GET', `/v1/documents/${issued.body.data.id}`);
    const operatorIssues = await issue(operatorA, atRealClock(exampleDocument('invoice-taxpayer.json')));
    const otherTenantReads = await userB.call('GET', `/v1/documents/${issued.body.data.id}`);
    const otherTenantRevokes = await adminB.call('DELETE', `/v1/api-keys/${created.body.data.id}`);
    const keyManagesKeys = await operatorA.call('GET', '/v1/api-keys');
    const adminKeyRefused = await createKey(admin, { name: 'no admin keys', role: 'ADMIN' });

    // Assess
    expect(created.body.data.environment).toBe('live');
    expect(operatorReads.status).toBe(200);
    expect(operatorIssues.status).toBe(403);
    expect(otherTenantReads.status).toBe(404);
    expect(otherTenantRevokes.status).toBe(404);
    expect(keyManagesKeys.status).toBe(403);
    expect(adminKeyRefused.status).toBe(422);
  });

  it('an expired key is refused once the authorizer’s cached answer is gone; expiry bounds are checked', async () => {
    // Prepare
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const created = await createKey(admin, { name: 'short-lived', role: 'USER', expiresAt });
    const key = keySession(created.body.data.secret);

    // Act
    const beforeExpiry = await key.call('GET', '/v1/documents');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 500));
    await flushAuthorizerCache();
    const afterExpiry = await key.call('GET', '/v1/documents');
    const inThePast = await createKey(admin, {
      name: 'past',
      role: 'USER',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    const tooFar = await createKey(admin, {
      name: 'far',
      role: 'USER',
      expiresAt: new Date(Date.now() + 800 * 86_400_000).toISOString(),
    });

    // Assess
    expect(created.status, created.text).toBe(201);
    expect(beforeExpiry.status).toBe(200);
    expect(afterExpiry.status).toBe(401);
    expect(inThePast.status).toBe(422);
    expect(inThePast.body.details).toEqual([expect.objectContaining({ path: 'expiresAt' })]);
    expect(tooFar.status).toBe(422);
  });

  it(
    'a revocation takes effect within the authorizer cache TTL without any flush, as on AWS',
    async () => {
      // Prepare
      const created = await createKey(admin, { name: 'revoked, then cached', role: 'USER' });
      const key = keySession(created.body.data.secret);
      const cachedAllow = await key.call('GET', '/v1/documents');
      await admin.call('DELETE', `/v1/api-keys/${created.body.data.id}`);

      // Act
      const stillCached = await key.call('GET', '/v1/documents');
      await new Promise((resolve) => setTimeout(resolve, (AUTHORIZER_CACHE_TTL_SECONDS + 1) * 1000));
      const afterTtl = await key.call('GET', '/v1/documents');

      // Assess
      expect(cachedAllow.status).toBe(200);
      expect(stillCached.status).toBe(200);
      expect(afterTtl.status).toBe(401);
    },
    (AUTHORIZER_CACHE_TTL_SECONDS + 30) * 1000,
  );

  it('no secret reaches the function logs or any item in clear', async () => {
    // Prepare
    expect(createdSecrets.length).toBeGreaterThan(0);
    const secrets = [
      ...createdSecrets,
      ...localStack().demo.tenants.flatMap((tenant) => tenant.apiKeys.map((key) => key.secret)),
    ];

    // Act
    const logs = readFileSync(localStack().logFile, 'utf8');
    const items: string[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await dynamoClient().send(
        new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) items.push(JSON.stringify(unmarshall(item)));
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);

    // Assess
    expect(items.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      const randomPart = secret.slice('fk_test_'.length);
      expect(logs).not.toContain(randomPart);
      expect(items.some((item) => item.includes(randomPart))).toBe(false);
    }
  });
});
