import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as listAuditEventsHandler } from '#functions/api/audit/list-audit-events';
import { AUDIT_ACTIONS, type AuditAction } from '#shared/audit/actions';
import { auditPut } from '#shared/audit/entries';
import { type AuditEventResource, listAuditEvents } from '#shared/audit/queries';
import { BadRequestError } from '#shared/errors';
import type { Actor, PlatformContext, TenantContext } from '#shared/tenancy/context';
import { FakeTable } from '../app/fake-table.ts';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
// The cursor secret (shared/config/secrets.ts).
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ cursorSecret: 'k'.repeat(64) }) });
const table = new FakeTable();

const admin: Actor = { type: 'user', id: 'admin-sub', email: 'admin@tenant-a.test' };
const integrator: Actor = { type: 'api-key', id: 'key-1', prefix: 'fk_live_ab12' };
const ctx: TenantContext = { tenantId: TENANT, actor: admin, roles: ['ADMIN'] };
const platform: PlatformContext = {
  tenantId: undefined,
  actor: { type: 'user', id: 'root-sub', email: 'ops@factu.test' },
  roles: ['SUPER_ADMIN'],
};

/** Writes an entry as the services do (auditPut), at `at`. */
function record(scope: string | null, at: string, action: AuditAction, actor: Actor = admin): void {
  const { Put } = auditPut({ actor }, scope, { action, target: { type: 'x', id: at } }, new Date(at));
  table.put(Put!.Item!);
}

/** Every page of a listing, following the cursors. */
async function allPages(
  query: Parameters<typeof listAuditEvents>[1],
  caller: TenantContext | PlatformContext = ctx,
): Promise<{ pages: AuditEventResource[][] }> {
  const pages: AuditEventResource[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(caller, { ...query, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { pages };
}

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
});

describe('listing the trail', () => {
  it('newest first, the tenant’s own entries only, as resources (no keys)', async () => {
    // Prepare
    record(TENANT, '2026-11-20T10:00:00.000Z', 'branch.created');
    record(TENANT, '2026-11-21T10:00:00.000Z', 'hka-credentials.set');
    record('tenant-b', '2026-11-22T10:00:00.000Z', 'branch.created');
    record(null, '2026-11-22T11:00:00.000Z', 'tenant.created');

    // Act
    const page = await listAuditEvents(ctx, { limit: 25 });

    // Assess
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((item) => [item.at, item.action])).toEqual([
      ['2026-11-21T10:00:00.000Z', 'hka-credentials.set'],
      ['2026-11-20T10:00:00.000Z', 'branch.created'],
    ]);
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      ['action', 'actor', 'at', 'changes', 'id', 'requestId', 'sourceIp', 'target'].sort(),
    );
  });

  it('a principal without a tenant reads the platform’s trail', async () => {
    // Prepare
    record(TENANT, '2026-11-21T10:00:00.000Z', 'branch.created');
    record(null, '2026-11-22T11:00:00.000Z', 'tenant.created');

    // Act
    const page = await listAuditEvents(platform, { limit: 25 });

    // Assess
    expect(page.items.map((item) => item.action)).toEqual(['tenant.created']);
  });

  it('from/to are Panama days (UTC−5), inclusive of the whole day; date-times include their second', async () => {
    // Prepare: 2026-11-21 in Panama runs from 05:00Z on the 21st to 04:59:59.999Z on the 22nd.
    for (const at of [
      '2026-11-21T04:59:59.999Z',
      '2026-11-21T05:00:00.000Z',
      '2026-11-22T04:59:59.999Z',
      '2026-11-22T05:00:00.000Z',
    ]) {
      record(TENANT, at, 'branch.created');
    }

    // Act
    const day = await listAuditEvents(ctx, { limit: 25, from: '2026-11-21', to: '2026-11-21' });
    const instant = await listAuditEvents(ctx, {
      limit: 25,
      from: '2026-11-21T00:00:00-05:00',
      to: '2026-11-21T23:59:59-05:00',
    });

    // Assess
    const within = ['2026-11-22T04:59:59.999Z', '2026-11-21T05:00:00.000Z'];
    expect(day.items.map((item) => item.at)).toEqual(within);
    expect(instant.items.map((item) => item.at)).toEqual(within);
    await expect(
      listAuditEvents(ctx, { limit: 25, from: '2026-11-22', to: '2026-11-21' }),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('filtered by action and actor over many short pages, the cursors skip and repeat nothing', async () => {
    // Prepare: 60 entries, every third an API key's certificate upload.
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      const at = new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString();
      const match = i % 3 === 0;
      record(TENANT, at, match ? 'certificate.uploaded' : 'branch.created', match ? integrator : admin);
      if (match) expected.unshift(at);
    }

    // Act
    const { pages } = await allPages({ limit: 3, action: 'certificate.uploaded', actorId: 'key-1' });

    // Assess
    const seen = pages.flat();
    expect(seen.map((item) => item.at)).toEqual(expected);
    expect(
      seen.every((item) => item.actor.type === 'api-key' && item.action === 'certificate.uploaded'),
    ).toBe(true);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(3);
    // A filter is a FilterExpression within the partition, never a Scan.
    const queries = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.every((input) => input.ExpressionAttributeValues?.[':pk'] === `T#${TENANT}#AUDIT`)).toBe(
      true,
    );
  });

  it('a cursor opens only for the scope and filters it was handed out for', async () => {
    // Prepare
    for (let i = 0; i < 5; i++) record(TENANT, `2026-11-2${i}T10:00:00.000Z`, 'branch.created');
    const first = await listAuditEvents(ctx, { limit: 2 });
    const cursor = first.nextCursor!;

    // Act + Assess
    await expect(listAuditEvents(ctx, { limit: 2, action: 'branch.created', cursor })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(
      listAuditEvents({ ...ctx, tenantId: 'tenant-b' }, { limit: 2, cursor }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(listAuditEvents(platform, { limit: 2, cursor })).rejects.toBeInstanceOf(BadRequestError);
    await expect(listAuditEvents(ctx, { limit: 2, cursor: 'c1.e30.AAAA' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    const next = await listAuditEvents(ctx, { limit: 2, cursor });
    expect(next.items.map((item) => item.at)).toEqual([
      '2026-11-22T10:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
    ]);
  });
});

describe('GET /v1/audit-events', () => {
  const call = (query: Record<string, string>, authorizer = principal({ roles: 'ADMIN' })) =>
    listAuditEventsHandler(
      apiEvent({ path: '/v1/audit-events', queryStringParameters: query, authorizer }),
      lambdaContext,
    );

  it('an unknown action is a 422 that lists the allowed ones', async () => {
    // Act
    const response = await call({ action: 'document.deleted' });

    // Assess
    expect(response.statusCode).toBe(422);
    const detail = parseBody(response).details![0]!;
    expect(detail.path).toBe('query.action');
    for (const action of AUDIT_ACTIONS) expect(detail.message).toContain(action);
  });

  it.each(['USER', 'OPERATOR'])('%s gets 403', async (roles) => {
    const response = await call({}, principal({ roles }));
    expect(response.statusCode).toBe(403);
    expect(parseBody(response).code).toBe('ROLE_NOT_ALLOWED');
  });

  it('ADMIN reads its tenant’s trail; SUPER_ADMIN without a tenant the platform’s', async () => {
    // Prepare
    record(TENANT, '2026-11-21T10:00:00.000Z', 'branch.created');
    record(null, '2026-11-22T11:00:00.000Z', 'tenant.suspended');

    // Act
    const tenantAdmin = parseBody(await call({}));
    const superAdmin = parseBody(
      await call({}, principal({ roles: 'SUPER_ADMIN', tenantId: '', actorId: 'root-sub' })),
    );

    // Assess
    expect((tenantAdmin.data as { items: AuditEventResource[] }).items.map((item) => item.action)).toEqual([
      'branch.created',
    ]);
    expect((superAdmin.data as { items: AuditEventResource[] }).items.map((item) => item.action)).toEqual([
      'tenant.suspended',
    ]);
  });
});
