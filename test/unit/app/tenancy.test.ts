import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';
import {
  callerContextFromAuthorizer,
  can,
  parseGroups,
  requirePermission,
  tenantContextFromAuthorizer,
} from '#shared/tenancy/context';
import { principal } from './helpers.ts';

describe('tenant context', () => {
  it('reads the tenant, actor and roles from the authorizer context', () => {
    const ctx = tenantContextFromAuthorizer(
      principal({ actorId: 'u1', actorLabel: 'a@b.pa', tenantId: 'acme', roles: 'ADMIN,USER' }),
    );
    expect(ctx).toEqual({
      tenantId: 'acme',
      actor: { type: 'user', id: 'u1', email: 'a@b.pa' },
      roles: ['ADMIN', 'USER'],
    });
    const key = tenantContextFromAuthorizer(
      principal({
        actorType: 'api-key',
        actorId: 'k1',
        actorLabel: 'fk_test_ab12',
        roles: 'OPERATOR',
        apiKeyEnvironment: 'test',
      }),
      { requestId: 'r1', sourceIp: '10.0.0.1' },
    );
    const liveKey = tenantContextFromAuthorizer(
      principal({
        actorType: 'api-key',
        actorId: 'k2',
        actorLabel: 'fk_live_cd34',
        apiKeyEnvironment: 'live',
      }),
    );
    expect(key).toEqual({
      tenantId: 'tenant-a',
      actor: { type: 'api-key', id: 'k1', prefix: 'fk_test_ab12' },
      roles: ['OPERATOR'],
      origin: { requestId: 'r1', sourceIp: '10.0.0.1' },
      // A test key issues in HKA's demo environment whatever the tenant's setting.
      demoOnly: true,
    });
    expect(liveKey.demoOnly).toBeUndefined();
  });

  it.each([
    ['ADMIN,USER', ['ADMIN', 'USER']],
    ['[ADMIN USER]', ['ADMIN', 'USER']],
    ['[OPERATOR]', ['OPERATOR']],
    ['USER', ['USER']],
    [
      ['ADMIN', 'OPERATOR'],
      ['ADMIN', 'OPERATOR'],
    ],
    ['', []],
    [undefined, []],
    ['hackers,USER', ['USER']],
  ])('parses cognito:groups %j', (raw, expected) => {
    expect(parseGroups(raw)).toEqual(expected);
  });

  it('refuses a missing or malformed tenant with 403 TENANT_REQUIRED, a suspended one with TENANT_SUSPENDED', () => {
    expect(() => tenantContextFromAuthorizer(principal({ tenantId: '' }))).toThrow(
      expect.objectContaining({ code: 'TENANT_REQUIRED' }),
    );
    expect(() => tenantContextFromAuthorizer(principal({ tenantId: 'T#evil' }))).toThrow(ForbiddenError);
    expect(() => tenantContextFromAuthorizer(principal({ tenantStatus: 'suspended' }))).toThrow(
      expect.objectContaining({ code: 'TENANT_SUSPENDED' }),
    );
  });

  it('refuses a missing authorizer context or actor with 401', () => {
    expect(() => tenantContextFromAuthorizer(undefined)).toThrow(UnauthorizedError);
    expect(() => tenantContextFromAuthorizer(principal({ actorId: '' }))).toThrow(UnauthorizedError);
    expect(() => tenantContextFromAuthorizer(principal({ actorType: 'robot' as never }))).toThrow(
      UnauthorizedError,
    );
  });

  it('gives platform operations a platform context, and tenant-or-platform ones the tenant when there is one', () => {
    const superAdmin = principal({ tenantId: '', roles: 'SUPER_ADMIN' });
    const admin = principal({ roles: 'ADMIN' });
    expect(callerContextFromAuthorizer(superAdmin, 'platform')).toMatchObject({
      tenantId: undefined,
      roles: ['SUPER_ADMIN'],
    });
    expect(callerContextFromAuthorizer(admin, 'platform').tenantId).toBeUndefined();
    expect(callerContextFromAuthorizer(admin, 'tenant-or-platform').tenantId).toBe('tenant-a');
    expect(callerContextFromAuthorizer(superAdmin, 'tenant-or-platform').tenantId).toBeUndefined();
    expect(() => callerContextFromAuthorizer(superAdmin, 'tenant')).toThrow(
      expect.objectContaining({ code: 'TENANT_REQUIRED' }),
    );
    expect(() =>
      callerContextFromAuthorizer(principal({ tenantStatus: 'suspended' }), 'tenant-or-platform'),
    ).toThrow(expect.objectContaining({ code: 'TENANT_SUSPENDED' }));
  });

  it('maps roles to permissions', () => {
    const base = { tenantId: 't' };
    const admin = { ...base, roles: ['ADMIN' as const] };
    const user = { ...base, roles: ['USER' as const] };
    const operator = { ...base, roles: ['OPERATOR' as const] };
    expect(can(admin, 'settings:manage')).toBe(true);
    expect(can(user, 'settings:manage')).toBe(false);
    expect(can(user, 'documents:issue')).toBe(true);
    expect(can(operator, 'documents:issue')).toBe(false);
    expect(can(operator, 'documents:read')).toBe(true);
    expect(can(operator, 'documents:resend')).toBe(true);
    expect(() => requirePermission(operator, 'documents:issue')).toThrow(ForbiddenError);
  });
});
