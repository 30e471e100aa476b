import { describe, expect, it, vi } from 'vitest';
import {
  API_KEY_SECRET_PATTERN,
  apiKeyHmac,
  generateApiKeySecret,
  publicPrefixOf,
} from '#shared/auth/api-key-secret';
import {
  type ApiKeyLookup,
  type AuthorizerPorts,
  authorize,
  Unauthorized,
  type UserAccess,
} from '#shared/auth/authorize';
import { allowWholeApi, wholeApiResource } from '#shared/auth/policy';

const HASH_KEY = 'k'.repeat(64);
const NOW = new Date('2026-12-06T12:00:00Z');

/** Ports over an in-memory lookup table, recording the work each call does. */
function fakePorts(
  keys: Array<{ secret: string; lookup: Omit<ApiKeyLookup, 'secretHmac'> }> = [],
  overrides: Partial<AuthorizerPorts> = {},
) {
  const table = new Map(
    keys.map(({ secret, lookup }) => {
      const secretHmac = apiKeyHmac(secret, HASH_KEY);
      return [secretHmac, { ...lookup, secretHmac }];
    }),
  );
  const ports = {
    hmacOf: vi.fn(async (secret: string) => apiKeyHmac(secret, HASH_KEY)),
    findApiKey: vi.fn(async (secretHmac: string) => table.get(secretHmac)),
    verifyIdToken: vi.fn(async (token: string) => {
      if (token !== 'valid-id-token') throw new Error('invalid token');
      return { sub: 'sub-1', email: 'ana@a.test', tenantId: 'tenant-a', groups: ['ADMIN', 'NOT_A_ROLE'] };
    }),
    tenantStatus: vi.fn(
      async (tenantId: string) => (tenantId === 'tenant-s' ? 'suspended' : 'active') as never,
    ),
    userAccess: vi.fn(async (_userId: string): Promise<UserAccess | undefined> => undefined),
    touchApiKey: vi.fn(async () => undefined),
    now: () => NOW,
    ...overrides,
  };
  return ports;
}

const liveSecret = generateApiKeySecret('live');
const testSecret = generateApiKeySecret('test');
const keyOf = (secret: string, changes: Partial<ApiKeyLookup> = {}) => ({
  secret,
  lookup: {
    tenantId: 'tenant-a',
    keyId: 'key-1',
    role: 'USER',
    environment: secret.startsWith('fk_live_') ? ('live' as const) : ('test' as const),
    prefix: publicPrefixOf(secret),
    ...changes,
  },
});

describe('API key secrets', () => {
  it('carry 256 bits of randomness after fk_<environment>_, a short public prefix, and a keyed hash', () => {
    // Act
    const secrets = Array.from({ length: 50 }, () => generateApiKeySecret('live'));

    // Assess
    for (const secret of secrets) expect(secret).toMatch(API_KEY_SECRET_PATTERN);
    expect(new Set(secrets).size).toBe(50);
    expect(Buffer.from(secrets[0]!.slice('fk_live_'.length), 'base64url')).toHaveLength(32);
    expect(publicPrefixOf(secrets[0]!)).toBe(secrets[0]!.slice(0, 'fk_live_'.length + 8));
    expect(apiKeyHmac(secrets[0]!, HASH_KEY)).toBe(apiKeyHmac(secrets[0]!, HASH_KEY));
    expect(apiKeyHmac(secrets[0]!, HASH_KEY)).not.toBe(apiKeyHmac(secrets[0]!, 'x'.repeat(64)));
    expect(apiKeyHmac(secrets[0]!, HASH_KEY)).not.toContain(secrets[0]!.slice(8));
  });
});

describe('the authorizer decision', () => {
  it('gives an API key its principal: the key id, its public prefix, its tenant, role and environment', async () => {
    // Prepare
    const ports = fakePorts([keyOf(liveSecret)]);

    // Act
    const context = await authorize(`Bearer ${liveSecret}`, ports);

    // Assess
    expect(context).toEqual({
      actorType: 'api-key',
      actorId: 'key-1',
      actorLabel: publicPrefixOf(liveSecret),
      tenantId: 'tenant-a',
      roles: 'USER',
      tenantStatus: 'active',
      apiKeyEnvironment: 'live',
    });
    expect(Object.values(context).every((value) => typeof value === 'string')).toBe(true);
    expect(JSON.stringify(context)).not.toContain(liveSecret);
    expect(ports.touchApiKey).toHaveBeenCalledWith(expect.objectContaining({ keyId: 'key-1' }), NOW);
  });

  it.each([
    ['an unknown key', `Bearer ${generateApiKeySecret('live')}`, []],
    ['a malformed fk_ token', 'Bearer fk_live_short', []],
    ['an expired key', `Bearer ${liveSecret}`, [keyOf(liveSecret, { expiresAt: '2026-12-06T11:59:59Z' })]],
    [
      'a key presented with another environment mark',
      `Bearer ${liveSecret}`,
      [keyOf(liveSecret, { environment: 'test' })],
    ],
  ])('refuses %s after the same work: the HMAC and the lookup', async (_name, header, keys) => {
    // Prepare
    const ports = fakePorts(keys);

    // Act
    const outcome = authorize(header, ports);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(Unauthorized);
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
    expect(ports.hmacOf).toHaveBeenCalledTimes(1);
    expect(ports.findApiKey).toHaveBeenCalledTimes(1);
    expect(ports.verifyIdToken).not.toHaveBeenCalled();
    expect(ports.touchApiKey).not.toHaveBeenCalled();
  });

  it('accepts a key until its expiry, and a test key with its environment', async () => {
    // Prepare
    const ports = fakePorts([
      keyOf(liveSecret, { expiresAt: '2026-12-06T12:00:01Z' }),
      keyOf(testSecret, { keyId: 'key-2', role: 'OPERATOR' }),
    ]);

    // Act
    const live = await authorize(`Bearer ${liveSecret}`, ports);
    const test = await authorize(testSecret, ports);

    // Assess
    expect(live.actorId).toBe('key-1');
    expect(test).toMatchObject({ actorId: 'key-2', roles: 'OPERATOR', apiKeyEnvironment: 'test' });
  });

  it('tells a suspended tenant through tenantStatus (the route answers 403), for keys and users alike', async () => {
    // Prepare
    const ports = fakePorts([keyOf(liveSecret, { tenantId: 'tenant-s' })]);

    // Act
    const context = await authorize(`Bearer ${liveSecret}`, ports);

    // Assess
    expect(context.tenantStatus).toBe('suspended');
  });

  it('takes any other token as a Cognito ID token: sub, e-mail, tenant and known groups', async () => {
    // Prepare
    const ports = fakePorts();

    // Act
    const context = await authorize('Bearer valid-id-token', ports);

    // Assess
    expect(context).toEqual({
      actorType: 'user',
      actorId: 'sub-1',
      actorLabel: 'ana@a.test',
      tenantId: 'tenant-a',
      roles: 'ADMIN',
      tenantStatus: 'active',
      apiKeyEnvironment: '',
    });
    expect(ports.findApiKey).not.toHaveBeenCalled();
    expect(ports.tenantStatus).toHaveBeenCalledWith('tenant-a');
  });

  describe('the user as it is now (its access entry), not as its token was issued', () => {
    const withAccess = (access: UserAccess | undefined) =>
      fakePorts([], { userAccess: vi.fn(async () => access) });

    it('applies a changed role at once', async () => {
      // Prepare
      const ports = withAccess({ tenantId: 'tenant-a', role: 'OPERATOR', enabled: true });

      // Act
      const context = await authorize('Bearer valid-id-token', ports);

      // Assess
      expect(context.roles).toBe('OPERATOR');
      expect(ports.userAccess).toHaveBeenCalledWith('sub-1');
    });

    it.each([
      ['disabled (or being deleted)', { tenantId: 'tenant-a', role: 'ADMIN', enabled: false }],
      ['of another tenant than its token says', { tenantId: 'tenant-b', role: 'ADMIN', enabled: true }],
    ])('refuses a user %s as Unauthorized', async (_name, access) => {
      await expect(authorize('Bearer valid-id-token', withAccess(access))).rejects.toBeInstanceOf(
        Unauthorized,
      );
    });

    it('keeps the token’s groups for a user without an entry (not changed since entries exist)', async () => {
      expect((await authorize('Bearer valid-id-token', withAccess(undefined))).roles).toBe('ADMIN');
    });

    it('is not read for API keys (their lookup is their access)', async () => {
      // Prepare
      const ports = fakePorts([keyOf(liveSecret)]);

      // Act
      await authorize(`Bearer ${liveSecret}`, ports);

      // Assess
      expect(ports.userAccess).not.toHaveBeenCalled();
    });
  });

  it('gives a platform user (no tenant) an empty tenant without reading any registry entry', async () => {
    // Prepare
    const ports = fakePorts([], {
      verifyIdToken: async () => ({ sub: 'sub-p', email: 'ops@factu.test', groups: 'SUPER_ADMIN' }),
    });

    // Act
    const context = await authorize('Bearer anything', ports);

    // Assess
    expect(context).toMatchObject({ tenantId: '', roles: 'SUPER_ADMIN', tenantStatus: 'active' });
    expect(ports.tenantStatus).not.toHaveBeenCalled();
    expect(ports.userAccess).not.toHaveBeenCalled();
  });

  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer   '],
    ['an invalid ID token', 'Bearer not-a-token'],
  ])('refuses %s as Unauthorized', async (_name, header) => {
    await expect(authorize(header, fakePorts())).rejects.toBeInstanceOf(Unauthorized);
  });

  it('lets a failure of its dependencies through (API Gateway answers 500, never a silent allow)', async () => {
    // Prepare
    const ports = fakePorts([keyOf(liveSecret)], {
      findApiKey: async () => {
        throw new Error('DynamoDB unavailable');
      },
    });

    // Act / Assess
    await expect(authorize(`Bearer ${liveSecret}`, ports)).rejects.toThrow('DynamoDB unavailable');
  });
});

describe('the authorizer policy', () => {
  it('allows the whole stage, because API Gateway reuses the cached policy for every route of the token', () => {
    // Prepare
    const methodArn = 'arn:aws:execute-api:us-east-1:111111111111:abc123/prod/POST/v1/documents';

    // Act
    const result = allowWholeApi(methodArn, {
      actorType: 'api-key',
      actorId: 'key-1',
      actorLabel: 'fk_live_abcdefgh',
      tenantId: 'tenant-a',
      roles: 'USER',
      tenantStatus: 'active',
      apiKeyEnvironment: 'live',
    });

    // Assess
    expect(wholeApiResource(methodArn)).toBe('arn:aws:execute-api:us-east-1:111111111111:abc123/prod/*');
    expect(result).toMatchObject({
      principalId: 'api-key:key-1',
      policyDocument: {
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:111111111111:abc123/prod/*',
          },
        ],
      },
    });
  });
});
