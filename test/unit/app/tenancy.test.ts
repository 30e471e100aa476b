import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';
import { can, parseGroups, requirePermission, tenantContextFromClaims } from '#shared/tenancy/context';

describe('tenant context', () => {
  it('reads the tenant, user and roles from verified claims', () => {
    const ctx = tenantContextFromClaims({
      sub: 'u1',
      email: 'a@b.pa',
      'custom:tenantId': 'acme',
      'cognito:groups': 'ADMIN,USER',
    });
    expect(ctx).toEqual({ tenantId: 'acme', userId: 'u1', email: 'a@b.pa', roles: ['ADMIN', 'USER'] });
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

  it('refuses a missing tenant claim with 403', () => {
    expect(() => tenantContextFromClaims({ sub: 'u1' })).toThrow(ForbiddenError);
    expect(() => tenantContextFromClaims({ sub: 'u1', 'custom:tenantId': 'T#evil' })).toThrow(ForbiddenError);
  });

  it('refuses missing claims with 401', () => {
    expect(() => tenantContextFromClaims(undefined)).toThrow(UnauthorizedError);
    expect(() => tenantContextFromClaims({ 'custom:tenantId': 'acme' })).toThrow(UnauthorizedError);
  });

  it('maps roles to permissions', () => {
    const base = { tenantId: 't', userId: 'u', email: undefined };
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
