/**
 * The users service against the table in memory and a Cognito mock: the USER# item, the enabled-admin counter
 * and the audit entry move together; Cognito and the table are written in an order that loses nothing when
 * one of them fails, and a retry converges; another tenant's user is a 404.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys';
import type { TenantContext } from '#shared/tenancy/context';
import { changeUser, deleteUser, getUser, inviteUser } from '#shared/tenancy/users';
import { FakeTable } from './fake-table.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const table = new FakeTable();

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'admin-sub', email: 'admin@tenant-a.test' },
  roles: ['ADMIN'],
  origin: { requestId: 'req-1', sourceIp: '203.0.113.9' },
};
const now = new Date('2026-12-01T15:00:00.000Z');

const created = (sub: string) => ({
  User: { Username: sub, Attributes: [{ Name: 'sub', Value: sub }] },
});
const enabledAdmins = () => table.get(keys.userCounters(TENANT))?.enabledAdmins;
const auditActions = () =>
  table.partition(`T#${TENANT}#AUDIT`).map((entry) => [entry.action, (entry.target as { id: string }).id]);

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  table.clear();
  table.install(ddb);
  table.put({ ...keys.userCounters(TENANT), enabledAdmins: 0 });
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
  cognito.on(AdminEnableUserCommand).resolves({});
  cognito.on(AdminDisableUserCommand).resolves({});
  cognito.on(AdminUserGlobalSignOutCommand).resolves({});
  cognito.on(AdminDeleteUserCommand).resolves({});
});

describe('inviting', () => {
  it('creates the Cognito user with its invitation, then the item, the counter and the audit entry', async () => {
    cognito.on(AdminCreateUserCommand).resolves(created('sub-1'));
    const user = await inviteUser(ctx, { email: 'Ana@Example.com', name: 'Ana', role: 'ADMIN' }, now);

    expect(user).toEqual({
      userId: 'sub-1',
      email: 'ana@example.com',
      name: 'Ana',
      role: 'ADMIN',
      enabled: true,
      createdAt: now.toISOString(),
    });
    const request = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(request).toMatchObject({
      UserPoolId: 'us-east-1_pool',
      Username: 'ana@example.com',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    // Cognito generates and e-mails the temporary password: we never choose, see or store one.
    expect(request.TemporaryPassword).toBeUndefined();
    expect(request.MessageAction).toBeUndefined();
    expect(request.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: TENANT });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input.GroupName).toBe('ADMIN');
    expect(table.get(keys.user(TENANT, 'sub-1'))).toMatchObject({ role: 'ADMIN', enabled: true });
    expect(enabledAdmins()).toBe(1);
    expect(auditActions()).toEqual([['user.invited', 'sub-1']]);
  });

  it('a retry after the table write failed adopts the Cognito user of this tenant and writes the item', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'sub-2',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-2' },
        { Name: 'custom:tenantId', Value: TENANT },
      ],
    });
    const user = await inviteUser(ctx, { email: 'bob@example.com', name: 'Bob', role: 'USER' }, now);
    expect(user.userId).toBe('sub-2');
    expect(table.get(keys.user(TENANT, 'sub-2'))).toMatchObject({ email: 'bob@example.com', role: 'USER' });
    expect(enabledAdmins()).toBe(0);

    await expect(
      inviteUser(ctx, { email: 'bob@example.com', name: 'Bob', role: 'USER' }),
    ).rejects.toMatchObject({
      code: 'USER_EXISTS',
    });
  });

  it('an e-mail of another tenant’s person → 409 EMAIL_TAKEN, nothing written', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'sub-x',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-x' },
        { Name: 'custom:tenantId', Value: 'tenant-b' },
      ],
    });
    const writes = table.writes;
    await expect(inviteUser(ctx, { email: 'x@example.com', name: 'X', role: 'USER' })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
      details: [{ path: 'email' }],
    });
    expect(table.writes).toBe(writes);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});

describe('changing and deleting', () => {
  beforeEach(async () => {
    cognito
      .on(AdminCreateUserCommand)
      .callsFake((input: { Username: string }) => created(`sub-${input.Username.split('@')[0]}`));
    await inviteUser(ctx, { email: 'first@example.com', name: 'First', role: 'ADMIN' }, now);
    await inviteUser(ctx, { email: 'clerk@example.com', name: 'Clerk', role: 'USER' }, now);
  });

  it('the last enabled ADMIN cannot be demoted, disabled or deleted (409 LAST_ADMIN), nothing changes', async () => {
    for (const attempt of [
      () => changeUser(ctx, 'sub-first', { role: 'USER' }),
      () => changeUser(ctx, 'sub-first', { enabled: false }),
      () => deleteUser(ctx, 'sub-first'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    }
    expect(table.get(keys.user(TENANT, 'sub-first'))).toMatchObject({ role: 'ADMIN', enabled: true });
    expect(table.get(keys.user(TENANT, 'sub-first'))?.deleting).toBeUndefined();
    expect(enabledAdmins()).toBe(1);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('a promotion counts; then the first ADMIN may step down; group moves and sessions end', async () => {
    const promoted = await changeUser(ctx, 'sub-clerk', { role: 'ADMIN' }, now);
    expect(promoted).toMatchObject({ role: 'ADMIN', enabled: true });
    expect(enabledAdmins()).toBe(2);
    cognito.resetHistory();
    await changeUser(ctx, 'sub-first', { role: 'OPERATOR' }, now);
    expect(enabledAdmins()).toBe(1);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input.GroupName).toBe('OPERATOR');
    expect(
      cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((call) => call.args[0].input.GroupName),
    ).toEqual(['ADMIN', 'USER']);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);
    expect(auditActions()).toContainEqual(['user.role-changed', 'sub-first']);
    const entry = table
      .partition(`T#${TENANT}#AUDIT`)
      .find(
        (candidate) =>
          candidate.action === 'user.role-changed' && (candidate.target as { id: string }).id === 'sub-first',
      );
    expect(entry?.changes).toEqual({ role: { from: 'ADMIN', to: 'OPERATOR' } });
  });

  it('disabling signs out, then disables in Cognito; a retry after Cognito failed brings Cognito in line', async () => {
    cognito.on(AdminDisableUserCommand).rejectsOnce(new Error('Cognito unavailable'));
    await expect(changeUser(ctx, 'sub-clerk', { enabled: false }, now)).rejects.toThrow(
      'Cognito unavailable',
    );
    expect(table.get(keys.user(TENANT, 'sub-clerk'))).toMatchObject({ enabled: false });

    const retried = await changeUser(ctx, 'sub-clerk', { enabled: false }, now);
    expect(retried.enabled).toBe(false);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(2);
    // The audit recorded the change once, with the table write that made it.
    expect(auditActions().filter(([action]) => action === 'user.disabled')).toHaveLength(1);
  });

  it('delete: marked, removed from Cognito, forgotten; a retry after Cognito failed finishes it', async () => {
    cognito.on(AdminDeleteUserCommand).rejectsOnce(new Error('Cognito unavailable'));
    await expect(deleteUser(ctx, 'sub-clerk', now)).rejects.toThrow('Cognito unavailable');
    expect(table.get(keys.user(TENANT, 'sub-clerk'))).toMatchObject({ deleting: true, enabled: false });
    await expect(getUser(ctx, 'sub-clerk')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });

    cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'gone', $metadata: {} }));
    await deleteUser(ctx, 'sub-clerk', now);
    expect(table.get(keys.user(TENANT, 'sub-clerk'))).toBeUndefined();
    expect(auditActions().filter(([action]) => action === 'user.deleted')).toEqual([
      ['user.deleted', 'sub-clerk'],
    ]);
  });

  it('another tenant’s user id is a 404 and nothing reaches Cognito', async () => {
    const other: TenantContext = { ...ctx, tenantId: 'tenant-b' };
    cognito.resetHistory();
    await expect(getUser(other, 'sub-clerk')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(changeUser(other, 'sub-clerk', { enabled: false })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(deleteUser(other, 'sub-clerk')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(cognito.calls()).toHaveLength(0);
  });
});
