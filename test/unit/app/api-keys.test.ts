import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiKeyHmac } from '#shared/auth/api-key-secret';
import { awsAuthorizerPorts } from '#shared/auth/aws-ports';
import { keys } from '#shared/data/keys';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { createApiKey, listApiKeys, MAX_API_KEYS_PER_TENANT, revokeApiKey } from '#shared/tenancy/api-keys';
import type { TenantContext } from '#shared/tenancy/context';
import { FakeTable } from './fake-table.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
process.env.API_KEY_HASH_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:111111111111:secret:factu-api-key-hash';
const HASH_KEY = 'h'.repeat(64);
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ apiKeyHashSecret: HASH_KEY }) });
const ddb = mockClient(DynamoDBDocumentClient);
const table = new FakeTable();
const NOW = new Date('2026-12-06T12:00:00Z');
const admin: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'admin-1', email: 'admin@tenant-a.test' },
  roles: ['ADMIN'],
  origin: { requestId: 'r1', sourceIp: '10.0.0.1' },
};
const input = { name: 'Till', role: 'USER' as const, environment: 'live' as const };

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
});

describe('the API-key service', () => {
  it('creates the key item, the lookup under the secret’s HMAC and the audit entry in one transaction', async () => {
    // Act
    const created = await createApiKey(admin, input, { now: NOW });

    // Assess
    const hmac = apiKeyHmac(created.secret, HASH_KEY);
    expect(table.get(keys.apiKey(TENANT, created.id))).toMatchObject({
      name: 'Till',
      prefix: created.prefix,
      role: 'USER',
      environment: 'live',
      createdAt: NOW.toISOString(),
      lookupHmac: hmac,
    });
    expect(table.get(keys.apiKeyLookup(hmac))).toMatchObject({
      tenantId: TENANT,
      keyId: created.id,
      role: 'USER',
      environment: 'live',
      prefix: created.prefix,
    });
    const audit = table.partition(`T#${TENANT}#AUDIT`);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'api-key.created',
        target: { type: 'api-key', id: created.id },
        actor: admin.actor,
        requestId: 'r1',
      }),
    ]);
    const everything = JSON.stringify([...table.partition(`T#${TENANT}`), ...audit]);
    expect(everything).not.toContain(created.secret.slice(8));
  });

  it('lists keys without their secrets or hashes, with lastUsedAt once the authorizer records a use', async () => {
    // Prepare
    const created = await createApiKey(admin, input, { now: NOW });
    const lookup = await awsAuthorizerPorts.findApiKey(apiKeyHmac(created.secret, HASH_KEY));

    // Act
    await awsAuthorizerPorts.touchApiKey(lookup!, new Date(NOW.getTime() + 1_000));
    await awsAuthorizerPorts.touchApiKey(lookup!, new Date(NOW.getTime() + 30_000));
    const afterTwoUsesWithinAMinute = await listApiKeys(admin);
    await awsAuthorizerPorts.touchApiKey(lookup!, new Date(NOW.getTime() + 62_000));
    const afterAMinute = await listApiKeys(admin);

    // Assess
    expect(lookup).toMatchObject({ tenantId: TENANT, keyId: created.id, environment: 'live' });
    expect(afterTwoUsesWithinAMinute).toEqual([
      {
        id: created.id,
        name: 'Till',
        prefix: created.prefix,
        role: 'USER',
        environment: 'live',
        createdAt: NOW.toISOString(),
        expiresAt: null,
        lastUsedAt: new Date(NOW.getTime() + 1_000).toISOString(),
      },
    ]);
    expect(afterAMinute[0]!.lastUsedAt).toBe(new Date(NOW.getTime() + 62_000).toISOString());
  });

  it('revokes: lookup and key item gone with the audit entry; another tenant’s or an unknown id is not found', async () => {
    // Prepare
    const created = await createApiKey(admin, input, { now: NOW });
    const otherTenant: TenantContext = { ...admin, tenantId: 'tenant-b' };

    // Act
    const fromOtherTenant = revokeApiKey(otherTenant, created.id, NOW);
    await expect(fromOtherTenant).rejects.toBeInstanceOf(NotFoundError);
    await revokeApiKey(admin, created.id, NOW);

    // Assess
    expect(table.get(keys.apiKey(TENANT, created.id))).toBeUndefined();
    expect(table.get(keys.apiKeyLookup(apiKeyHmac(created.secret, HASH_KEY)))).toBeUndefined();
    expect(table.partition(`T#${TENANT}#AUDIT`).map((entry) => entry.action)).toEqual([
      'api-key.created',
      'api-key.revoked',
    ]);
    await expect(revokeApiKey(admin, created.id, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it(`refuses a key beyond ${MAX_API_KEYS_PER_TENANT} per tenant with 409 API_KEY_LIMIT_REACHED`, async () => {
    // Prepare
    for (let index = 0; index < MAX_API_KEYS_PER_TENANT; index++)
      await createApiKey(admin, input, { now: NOW });

    // Act
    const refused = createApiKey(admin, input, { now: NOW });

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ code: 'API_KEY_LIMIT_REACHED' });
  });

  it('holds the limit under concurrency: of two creations that both counted 19 keys, one is refused', async () => {
    // Prepare
    for (let index = 0; index < MAX_API_KEYS_PER_TENANT - 1; index++)
      await createApiKey(admin, input, { now: NOW });

    // Act
    const outcomes = await Promise.allSettled([
      createApiKey(admin, input, { now: NOW }),
      createApiKey(admin, input, { now: NOW }),
    ]);

    // Assess
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: { code: 'API_KEY_LIMIT_REACHED' },
    });
    expect(await listApiKeys(admin)).toHaveLength(MAX_API_KEYS_PER_TENANT);
  });

  it('frees a place when a key is revoked, and counts keys that predate the counter', async () => {
    // Prepare: a tenant whose keys were created before the counter existed.
    for (let index = 0; index < MAX_API_KEYS_PER_TENANT; index++)
      await createApiKey(admin, input, { now: NOW });
    table.delete(keys.apiKeyCounter(TENANT));
    await expect(createApiKey(admin, input, { now: NOW })).rejects.toMatchObject({
      code: 'API_KEY_LIMIT_REACHED',
    });
    const [first] = await listApiKeys(admin);

    // Act
    await revokeApiKey(admin, first!.id, NOW);
    const again = await createApiKey(admin, input, { now: NOW });

    // Assess
    expect(again.id).toBeDefined();
    expect(table.get(keys.apiKeyCounter(TENANT))).toMatchObject({ held: MAX_API_KEYS_PER_TENANT });
    await expect(createApiKey(admin, input, { now: NOW })).rejects.toMatchObject({
      code: 'API_KEY_LIMIT_REACHED',
    });
  });

  it.each([
    ['in the past', '2026-12-06T11:59:59Z'],
    ['more than two years away', '2028-12-07T12:00:00Z'],
  ])('refuses an expiry %s with 422 on expiresAt', async (_name, expiresAt) => {
    await expect(createApiKey(admin, { ...input, expiresAt }, { now: NOW })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('normalises an accepted expiry to UTC and writes it on the key and its lookup', async () => {
    // Act
    const created = await createApiKey(
      admin,
      { ...input, expiresAt: '2027-06-01T07:00:00-05:00' },
      { now: NOW },
    );

    // Assess
    expect(created.expiresAt).toBe('2027-06-01T12:00:00.000Z');
    expect(table.get(keys.apiKeyLookup(apiKeyHmac(created.secret, HASH_KEY)))?.expiresAt).toBe(
      '2027-06-01T12:00:00.000Z',
    );
  });
});
