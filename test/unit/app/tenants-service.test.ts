/**
 * Tenant onboarding and suspension against the table in memory and a Cognito mock: RUC/DV and location
 * checked, one conditional transaction per tenant (a second tenant for the RUC is refused), an unfinished
 * onboarding finished by its retry, the status changed with its audit entry in the same transaction.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { TENANT_ID_PATTERN } from '#shared/tenancy/context';
import { newTenantId, onboardTenant, type PlatformPrincipal, setTenantStatus } from '#shared/tenancy/tenants';
import { FakeTable } from './fake-table.ts';
import { setTestEnv } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const table = new FakeTable();

const platform: PlatformPrincipal = {
  actor: { type: 'user', id: 'super-sub', email: 'super@factu.test' },
  roles: ['SUPER_ADMIN'],
  origin: { requestId: 'req-9', sourceIp: '198.51.100.7' },
};
const now = new Date('2026-12-01T15:00:00.000Z');
const RUC = '155704849-2-2021';
const body = (overrides: Record<string, unknown> = {}) => ({
  ruc: RUC,
  dv: computeRucDv(RUC, '2'),
  name: 'CAFÉ DEL ISTMO, S.A.',
  address: 'Calle 50, Edificio Demo',
  locationCode: '8-8-7',
  adminEmail: 'Admin@Cafe.example.com',
  adminName: 'Ana',
  ...overrides,
});

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  table.clear();
  table.install(ddb);
  cognito
    .on(AdminCreateUserCommand)
    .resolves({ User: { Username: 'sub-admin', Attributes: [{ Name: 'sub', Value: 'sub-admin' }] } });
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
  cognito
    .on(AdminGetUserCommand)
    .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
});

describe('onboarding', () => {
  it('creates the tenant, its head office with the catalogue names, and invites its first ADMIN', async () => {
    const tenant = await onboardTenant(platform, body(), now);

    expect(tenant).toMatchObject({
      ruc: RUC,
      name: 'CAFÉ DEL ISTMO, S.A.',
      status: 'active',
      admin: { email: 'admin@cafe.example.com', name: 'Ana', invited: true },
    });
    expect(tenant.id).toMatch(/^cafe-del-istmo-s-a-[0-9a-z]{6}$/);
    expect(table.get(keys.branch(tenant.id, '0000'))).toMatchObject({
      location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
    });
    expect(table.get(keys.user(tenant.id, 'sub-admin'))).toMatchObject({ role: 'ADMIN', enabled: true });
    expect(table.get(keys.userCounters(tenant.id))?.enabledAdmins).toBe(1);
    expect(table.get(keys.rucRegistration(RUC))).toMatchObject({ tenantId: tenant.id });
    const platformAudit = table.partition('T#_platform#AUDIT');
    expect(platformAudit).toEqual([
      expect.objectContaining({
        action: 'tenant.created',
        tenantId: null,
        actor: platform.actor,
        requestId: 'req-9',
        target: { type: 'tenant', id: tenant.id },
      }),
    ]);
    expect(table.partition(`T#${tenant.id}#AUDIT`).map((entry) => entry.action)).toEqual(['user.invited']);
  });

  it('refuses a DV that does not match, and a location outside the catalogue, before writing anything', async () => {
    const wrong = String((Number(computeRucDv(RUC, '2')) + 1) % 100).padStart(2, '0');
    const before = table.writes;
    await expect(onboardTenant(platform, body({ dv: wrong }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'dv' })],
    });
    await expect(onboardTenant(platform, body({ locationCode: '9-99-9' }))).rejects.toThrow();
    expect(table.writes).toBe(before);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('a second tenant for the same RUC → 409 RUC_ALREADY_REGISTERED', async () => {
    await onboardTenant(platform, body(), now);
    const before = table.writes;
    await expect(
      onboardTenant(platform, body({ name: 'OTRA EMPRESA, S.A.', adminEmail: 'otra@example.com' })),
    ).rejects.toMatchObject({ code: 'RUC_ALREADY_REGISTERED', details: [{ path: 'ruc' }] });
    expect(table.writes).toBe(before);
  });

  it('an admin e-mail of an existing account → 409 EMAIL_TAKEN before anything is written', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'sub-x',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-x' },
        { Name: 'custom:tenantId', Value: 'tenant-b' },
      ],
    });
    const before = table.writes;
    await expect(onboardTenant(platform, body())).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
      details: [{ path: 'adminEmail' }],
    });
    expect(table.writes).toBe(before);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('an onboarding whose invitation failed is finished by its retry, on the same tenant', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejectsOnce(new Error('Cognito unavailable'))
      .resolves({ User: { Username: 'sub-admin', Attributes: [{ Name: 'sub', Value: 'sub-admin' }] } });
    await expect(onboardTenant(platform, body(), now)).rejects.toThrow('Cognito unavailable');
    const tenantId = String(table.get(keys.rucRegistration(RUC))?.tenantId);
    expect(table.get(keys.tenantRegistryEntry(tenantId))?.adminInvitedAt).toBeUndefined();

    const retried = await onboardTenant(platform, body(), now);
    expect(retried.id).toBe(tenantId);
    expect(retried.admin).toMatchObject({ invited: true });
    expect(
      table.partition('T#_platform').filter((item) => String(item.sk).startsWith('TENANT#')),
    ).toHaveLength(1);
  });

  it('tenant ids fit the key alphabet whatever the name', () => {
    for (const name of ['ÑANDÚ & CÍA., S.A.', '---', 'A'.repeat(100), '123 Comercial']) {
      expect(newTenantId(name)).toMatch(TENANT_ID_PATTERN);
    }
  });
});

describe('status', () => {
  it('suspends and reactivates, each with its audit entry; the same status again records nothing', async () => {
    const tenant = await onboardTenant(platform, body(), now);
    const suspended = await setTenantStatus(platform, tenant.id, 'suspended', now);
    expect(suspended.status).toBe('suspended');
    expect(table.get(keys.tenantRegistryEntry(tenant.id))?.status).toBe('suspended');
    await setTenantStatus(platform, tenant.id, 'suspended', now);
    await setTenantStatus(platform, tenant.id, 'active', now);
    const actions = table.partition('T#_platform#AUDIT').map((entry) => [entry.action, entry.changes]);
    expect(actions).toEqual([
      ['tenant.created', expect.anything()],
      ['tenant.suspended', { status: { from: 'active', to: 'suspended' } }],
      ['tenant.reactivated', { status: { from: 'suspended', to: 'active' } }],
    ]);
  });

  it('an unknown tenant → 404', async () => {
    await expect(setTenantStatus(platform, 'nobody', 'suspended')).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
  });
});
