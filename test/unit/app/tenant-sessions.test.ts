import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetConfigForTests } from '#shared/config/config';
import { documentClient } from '#shared/data/client';
import { pipelineTask } from '#shared/documents/pipeline/task';
import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';
import { createApiHandler } from '#shared/http/handler';
import { defineOperation } from '#shared/http/operation';
import { s3Client } from '#shared/storage/s3';
import { kmsClient } from '#shared/tenancy/credentials';
import { resetScopedClientsForTests } from '#shared/tenancy/tenant-clients';
import { currentTenantId, runAsTenant, TenantScopeError } from '#shared/tenancy/tenant-scope';
import {
  MIN_REMAINING_MS,
  SESSION_SECONDS,
  type SessionCredentials,
  TenantSessions,
} from '#shared/tenancy/tenant-sessions';
import { apiEvent, lambdaContext, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();

const T0 = new Date('2026-03-02T10:00:00Z').getTime();
const HOUR = 3600_000;

/** A fake STS: every call returns new credentials valid one hour from "now", named after tenant and call. */
function fakeAssume() {
  const calls: string[] = [];
  const assume = async (tenantId: string): Promise<SessionCredentials> => {
    calls.push(tenantId);
    return {
      accessKeyId: `ASIA-${tenantId}-${calls.length}`,
      secretAccessKey: `secret-${tenantId}-${calls.length}`,
      sessionToken: `token-${tenantId}-${calls.length}`,
      expiration: new Date(Date.now() + HOUR),
    };
  };
  return { assume, calls };
}

describe('TenantSessions: the per-tenant credential cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls STS once per tenant while the credentials have more than MIN_REMAINING_MS left, then renews', async () => {
    // Prepare
    const { assume, calls } = fakeAssume();
    const sessions = new TenantSessions(assume, 8);

    // Act
    const first = await sessions.credentials('acme');
    vi.setSystemTime(T0 + HOUR - MIN_REMAINING_MS - 1000);
    const stillCached = await sessions.credentials('acme');
    vi.setSystemTime(T0 + HOUR - MIN_REMAINING_MS + 1000);
    const renewed = await sessions.credentials('acme');

    // Assess
    expect(stillCached).toBe(first);
    expect(renewed.accessKeyId).toBe('ASIA-acme-2');
    expect(calls).toEqual(['acme', 'acme']);
  });

  it('concurrent first calls for one tenant share a single AssumeRole; a failed call is retried next time', async () => {
    // Prepare
    let attempts = 0;
    const sessions = new TenantSessions(async (tenantId) => {
      attempts += 1;
      await Promise.resolve();
      if (attempts === 1) throw new Error('throttled');
      return {
        accessKeyId: `AK-${tenantId}`,
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: new Date(T0 + HOUR),
      };
    }, 8);

    // Act
    const failed = await Promise.allSettled([sessions.credentials('acme'), sessions.credentials('acme')]);
    const [a, b] = await Promise.all([sessions.credentials('acme'), sessions.credentials('acme')]);

    // Assess
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(a).toBe(b);
    expect(attempts).toBe(2);
  });

  it('keeps at most maxTenants tenants, evicting the least recently used with its clients', () => {
    // Prepare
    const { assume } = fakeAssume();
    const sessions = new TenantSessions(assume, 2);
    const create = () => ({ created: Symbol('client') });

    // Act
    const a1 = sessions.client('a', 'dynamodb', create);
    const b1 = sessions.client('b', 'dynamodb', create);
    const a2 = sessions.client('a', 'dynamodb', create); // a is now the most recently used
    sessions.client('c', 'dynamodb', create); // evicts b
    const a3 = sessions.client('a', 'dynamodb', create);
    const b2 = sessions.client('b', 'dynamodb', create); // b is new again (evicts c)

    // Assess
    expect(sessions.size).toBe(2);
    expect(a2).toBe(a1);
    expect(a3).toBe(a1);
    expect(b2).not.toBe(b1);
  });

  it('a presigned URL is always signed with credentials that outlive it: the SDK renews exactly when the cache does', async () => {
    // Prepare: a real S3 client on a tenant session; a download URL lives 300 s at most.
    const { assume } = fakeAssume();
    const sessions = new TenantSessions(assume, 8);
    const client = sessions.client(
      'acme',
      's3',
      (credentials) => new S3Client({ region: 'us-east-1', credentials, forcePathStyle: true }),
    );
    const presign = async () => {
      const url = new URL(
        await getSignedUrl(client, new GetObjectCommand({ Bucket: 'docs', Key: 'tenants/acme/x.pdf' }), {
          expiresIn: 300,
        }),
      );
      return url.searchParams.get('X-Amz-Credential')!.split('/')[0];
    };

    // Act
    const early = await presign();
    vi.setSystemTime(T0 + HOUR - MIN_REMAINING_MS - 1000);
    const late = await presign();
    vi.setSystemTime(T0 + HOUR - MIN_REMAINING_MS + 1000);
    const renewed = await presign();

    // Assess: the first credentials sign until MIN_REMAINING_MS (> 300 s) before they expire, never later.
    expect(MIN_REMAINING_MS).toBeGreaterThan(300_000 + 60_000);
    expect(early).toBe('ASIA-acme-1');
    expect(late).toBe('ASIA-acme-1');
    expect(renewed).toBe('ASIA-acme-2');
  });
});

describe('runAsTenant and the scoped client factories', () => {
  const sts = mockClient(STSClient);
  const ROLE = 'arn:aws:iam::111111111111:role/factu-get-document-tenant';

  beforeEach(() => {
    process.env.TENANT_ROLE_ARN = ROLE;
    resetConfigForTests();
    resetScopedClientsForTests();
    sts.reset();
    sts.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommand['input']) => {
      const tenantId = input.Tags?.[0]?.Value;
      // Different latencies per tenant, so the two scopes below really interleave.
      await new Promise((resolve) => setTimeout(resolve, tenantId === 'tenant-a' ? 15 : 1));
      return {
        Credentials: {
          AccessKeyId: `ASIA-${tenantId}`,
          SecretAccessKey: `secret-${tenantId}`,
          SessionToken: `token-${tenantId}`,
          Expiration: new Date(Date.now() + HOUR),
        },
      };
    });
  });
  afterEach(() => {
    delete process.env.TENANT_ROLE_ARN;
    resetConfigForTests();
    resetScopedClientsForTests();
  });

  const accessKeyOf = async (client: { config: { credentials: () => Promise<{ accessKeyId: string }> } }) =>
    (await client.config.credentials()).accessKeyId;

  it('two tenants interleaved in one process each get only their own clients and credentials', async () => {
    // Prepare
    const seen: Record<string, string[]> = { 'tenant-a': [], 'tenant-b': [] };
    const work = (tenantId: string) =>
      runAsTenant(tenantId, async () => {
        for (let round = 0; round < 3; round += 1) {
          await new Promise((resolve) => setTimeout(resolve, tenantId === 'tenant-a' ? 3 : 5));
          seen[tenantId]!.push(
            currentTenantId()!,
            await accessKeyOf(documentClient()),
            await accessKeyOf(s3Client()),
            await accessKeyOf(kmsClient()),
          );
        }
        return documentClient();
      });

    // Act
    const [clientA, clientB] = await Promise.all([work('tenant-a'), work('tenant-b')]);

    // Assess
    expect(new Set(seen['tenant-a'])).toEqual(new Set(['tenant-a', 'ASIA-tenant-a']));
    expect(new Set(seen['tenant-b'])).toEqual(new Set(['tenant-b', 'ASIA-tenant-b']));
    expect(clientA).not.toBe(clientB);
    // One AssumeRole per tenant, tagged with the tenant, named after it, on the function's tenant role.
    const inputs = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      const tenantId = input.Tags![0]!.Value!;
      expect(input).toEqual({
        RoleArn: ROLE,
        RoleSessionName: `tenant-${tenantId}`,
        DurationSeconds: SESSION_SECONDS,
        Tags: [{ Key: 'tenantId', Value: tenantId }],
      });
    }
  });

  it('outside a scope the factories return the function’s own clients (which AWS keeps off tenant data)', async () => {
    // Prepare
    const inside = await runAsTenant('tenant-a', async () => documentClient());

    // Act
    const outside = documentClient();

    // Assess
    expect(currentTenantId()).toBeUndefined();
    expect(outside).not.toBe(inside);
    expect(outside).toBe(documentClient());
    expect(await accessKeyOf(outside)).toBe('test');
  });

  it('refuses a malformed tenant id and a second tenant inside a scope', async () => {
    // Act + Assess
    await expect(runAsTenant('_platform', async () => 1)).rejects.toBeInstanceOf(TenantScopeError);
    await expect(runAsTenant(undefined as unknown as string, async () => 1)).rejects.toBeInstanceOf(
      TenantScopeError,
    );
    await expect(runAsTenant('tenant-a', () => runAsTenant('tenant-b', async () => 1))).rejects.toThrow(
      /already acting for tenant tenant-a/,
    );
    await expect(runAsTenant('tenant-a', () => runAsTenant('tenant-a', async () => 2))).resolves.toBe(2);
  });
});

describe('entry points run as their tenant', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => ddb.reset());

  it('an API request: the idempotency middleware’s writes and the handler alike', async () => {
    // Prepare
    const tenantsSeen: (string | undefined)[] = [];
    ddb.on(PutCommand).callsFake(async () => {
      tenantsSeen.push(currentTenantId());
      return {};
    });
    const handler = createApiHandler(
      defineOperation({
        operationId: 'scoped',
        method: 'post',
        path: '/v1/scoped',
        summary: 'test',
        tags: ['test'],
        permission: 'documents:issue',
        body: z.object({ name: z.string() }),
        idempotent: true,
        successStatus: 201,
      }),
      async () => {
        tenantsSeen.push(currentTenantId());
        return { data: {} };
      },
    );

    // Act
    const response = await handler(
      apiEvent({ httpMethod: 'POST', body: '{"name":"x"}', headers: { 'Idempotency-Key': 'k-1' } }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(201);
    // The claim before the handler, the handler, the completion after it.
    expect(tenantsSeen).toEqual([TENANT, TENANT, TENANT]);
    expect(currentTenantId()).toBeUndefined();
  });

  it('a pipeline step as state.tenantId, an SQS record as its message’s tenant', async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const step = pipelineTask('probe', async (state) => {
      seen.push(currentTenantId());
      return state;
    });
    const consumer = sqsTenantBatchHandler(
      'probe',
      (body) => JSON.parse(body) as { tenantId: string },
      async () => {
        seen.push(currentTenantId());
      },
    );

    // Act
    await step({
      tenantId: 'tenant-p',
      documentId: 'd1',
      attempt: 1,
      channel: 'hka-integration',
      executionId: 'arn:exec',
    });
    const batch = await consumer({
      Records: [
        { messageId: 'm1', body: '{"tenantId":"tenant-q"}' },
        { messageId: 'm2', body: '{"tenantId":"_platform"}' },
      ],
    });

    // Assess: a message naming no valid tenant fails alone.
    expect(seen).toEqual(['tenant-p', 'tenant-q']);
    expect(batch.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
  });
});
