import { randomInt, randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { HostedUiSignInError } from '#local/hosted-ui/browser';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import {
  callApi,
  dynamoClient,
  flushAuthorizerCache,
  type Json,
  localStack,
  login,
  type Session,
  session,
  tableName,
} from './helpers/local-cloud.ts';
import { acceptInvitation, claimsOf, signInAgain } from './helpers/people.ts';

/**
 * A tenant's people through the local cloud: an ADMIN invites (Cognito e-mails the temporary password), lists,
 * reads, changes role, disables and deletes users; the invited person signs in on the hosted UI; another
 * tenant's user ids answer 404; the tenant always keeps one enabled ADMIN, even under concurrent demotions.
 */

const key = () => ({ 'idempotency-key': randomUUID() });
const TENANT = 1;

describe('users', () => {
  let admin: Session;
  let otherTenantAdmin: Session;

  beforeAll(async () => {
    [admin, otherTenantAdmin] = await Promise.all([session(TENANT, 'ADMIN'), session(0, 'ADMIN')]);
  });

  it('lists the seeded users of the tenant (USER# items written through the invitation path)', async () => {
    const listed = await admin.call('GET', '/v1/users?limit=100');
    expect(listed.status, listed.text).toBe(200);
    const seeded = localStack().demo.tenants[TENANT]!.users;
    for (const user of seeded) {
      expect(listed.body.data.items).toContainEqual(
        expect.objectContaining({ email: user.email, role: user.role, enabled: true }),
      );
    }
    const otherTenant = localStack().demo.tenants[0]!.users.map((user) => user.email);
    for (const item of listed.body.data.items) expect(otherTenant).not.toContain(item.email);
  });

  it('USER and OPERATOR may not manage users (403)', async () => {
    const [user, operator] = await Promise.all([session(TENANT, 'USER'), session(TENANT, 'OPERATOR')]);
    for (const who of [user, operator]) {
      expect((await who.call('GET', '/v1/users')).status).toBe(403);
      const invite = await who.call('POST', '/v1/users', {
        body: { email: 'x@example.com', name: 'X', role: 'USER' },
        headers: key(),
      });
      expect(invite.status, invite.text).toBe(403);
    }
  });

  it('folios are assigned only to the tenant’s own users, never beyond the pool (422 on the field)', async () => {
    const [stranger, clerk] = await Promise.all([session(0, 'USER'), session(TENANT, 'USER')]);
    const assign = (userId: string, quantity: number) =>
      admin.call('POST', '/v1/folios/assignments', { body: { userId, quantity }, headers: key() });
    const foreign = await assign(String(claimsOf(stranger.token).sub), 1);
    expect(foreign.status, foreign.text).toBe(422);
    expect(foreign.body.details).toEqual([expect.objectContaining({ path: 'userId' })]);
    const tooMany = await assign(String(claimsOf(clerk.token).sub), 999_999);
    expect(tooMany.status, tooMany.text).toBe(422);
    expect(tooMany.body.details).toEqual([expect.objectContaining({ path: 'quantity' })]);
  });

  describe('an invited person', () => {
    const email = `persona-${randomUUID().slice(0, 8)}@ferreteria.example.com`;
    let userId: string;
    let totpSecret: string;
    /** The token the person got when accepting the invitation (role USER): it outlives every change below. */
    let firstToken: string;

    it('is invited (201), gets the e-mail, signs in with a new password and an authenticator', async () => {
      const invited = await admin.call('POST', '/v1/users', {
        body: { email, name: 'Pedro Cajero', role: 'USER' },
        headers: key(),
      });
      expect(invited.status, invited.text).toBe(201);
      userId = invited.body.data.userId;
      expect(invited.body.data).toMatchObject({ email, name: 'Pedro Cajero', role: 'USER', enabled: true });
      expect(invited.headers.get('location')).toBe(`/v1/users/${userId}`);

      const accepted = await acceptInvitation(email);
      totpSecret = accepted.totpSecret;
      firstToken = accepted.token;
      expect(claimsOf(accepted.token)).toMatchObject({
        sub: userId,
        'custom:tenantId': localStack().demo.tenants[TENANT]!.tenantId,
        'cognito:groups': ['USER'],
      });
      const works = await callApi('GET', '/v1/documents', { token: accepted.token });
      expect(works.status, works.text).toBe(200);

      const item = await dynamoClient().send(
        new GetItemCommand({
          TableName: tableName(),
          Key: {
            pk: { S: `T#${localStack().demo.tenants[TENANT]!.tenantId}` },
            sk: { S: `USER#${userId}` },
          },
        }),
      );
      expect(Object.keys(item.Item ?? {}).sort()).toEqual(
        ['createdAt', 'email', 'enabled', 'name', 'pk', 'role', 'sk', 'userId'].sort(),
      );
    });

    it('inviting the same e-mail again → 409 USER_EXISTS', async () => {
      const again = await admin.call('POST', '/v1/users', {
        body: { email, name: 'Pedro', role: 'USER' },
        headers: key(),
      });
      expect(again.status, again.text).toBe(409);
      expect(again.body.code).toBe('USER_EXISTS');
    });

    it('is read by its tenant; another tenant’s ADMIN gets 404 for every user route', async () => {
      const read = await admin.call('GET', `/v1/users/${userId}`);
      expect(read.status, read.text).toBe(200);
      expect(read.body.data).toMatchObject({ userId, email });
      const attempts = await Promise.all([
        otherTenantAdmin.call('GET', `/v1/users/${userId}`),
        otherTenantAdmin.call('PATCH', `/v1/users/${userId}`, { body: { enabled: false } }),
        otherTenantAdmin.call('DELETE', `/v1/users/${userId}`),
      ]);
      for (const response of attempts) {
        expect(response.status, response.text).toBe(404);
        expect(response.body.code).toBe('USER_NOT_FOUND');
      }
      expect((await admin.call('GET', `/v1/users/${userId}`)).body.data.enabled).toBe(true);
    });

    it('a role change moves the Cognito group: the next sign-in carries the new role', async () => {
      const changed = await admin.call('PATCH', `/v1/users/${userId}`, { body: { role: 'OPERATOR' } });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body.data).toMatchObject({ role: 'OPERATOR', enabled: true });
      const token = await signInAgain(email, totpSecret);
      expect(claimsOf(token)['cognito:groups']).toEqual(['OPERATOR']);
      const refused = await callApi('POST', '/v1/documents', { token, body: {}, headers: key() });
      expect(refused.status, refused.text).toBe(403);
      // The token issued while the person was a USER carries the old group, and still gets the new role.
      await flushAuthorizerCache();
      expect(claimsOf(firstToken)['cognito:groups']).toEqual(['USER']);
      const old = await callApi('POST', '/v1/documents', { token: firstToken, body: {}, headers: key() });
      expect(old.status, old.text).toBe(403);
      expect((await callApi('GET', '/v1/documents', { token: firstToken })).status).toBe(200);
    });

    it('disabled: the hosted UI refuses the sign-in; enabled again: it works', async () => {
      const disabled = await admin.call('PATCH', `/v1/users/${userId}`, { body: { enabled: false } });
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.body.data.enabled).toBe(false);
      await expect(signInAgain(email, totpSecret)).rejects.toBeInstanceOf(HostedUiSignInError);
      // A token issued before is refused at once, not when it expires.
      await flushAuthorizerCache();
      const refused = await callApi('GET', '/v1/documents', { token: firstToken });
      expect(refused.status, refused.text).toBe(401);
      const enabled = await admin.call('PATCH', `/v1/users/${userId}`, { body: { enabled: true } });
      expect(enabled.body.data.enabled).toBe(true);
      expect(claimsOf(await signInAgain(email, totpSecret)).sub).toBe(userId);
    });

    it('an empty change or an unknown role → 422 with the field', async () => {
      const empty = await admin.call('PATCH', `/v1/users/${userId}`, { body: {} });
      expect(empty.status, empty.text).toBe(422);
      const role = await admin.call('PATCH', `/v1/users/${userId}`, { body: { role: 'SUPER_ADMIN' } });
      expect(role.status, role.text).toBe(422);
      expect(role.body.details).toEqual([expect.objectContaining({ path: 'role' })]);
    });

    it('deleted: 200, then 404, gone from the list, and the person can no longer sign in', async () => {
      const deleted = await admin.call('DELETE', `/v1/users/${userId}`);
      expect(deleted.status, deleted.text).toBe(200);
      expect(deleted.body.data).toEqual({ deleted: true });
      expect((await admin.call('GET', `/v1/users/${userId}`)).status).toBe(404);
      const listed = await admin.call('GET', '/v1/users?limit=100');
      expect(listed.body.data.items.map((item: Json) => item.userId)).not.toContain(userId);
      await expect(signInAgain(email, totpSecret)).rejects.toThrow();
      await flushAuthorizerCache();
      expect((await callApi('GET', '/v1/documents', { token: firstToken })).status).toBe(401);
      expect((await admin.call('DELETE', `/v1/users/${userId}`)).status).toBe(404);
    });
  });

  describe('the last enabled ADMIN', () => {
    let firstAdmin: { token: string; userId: string; call: Session['call'] };

    beforeAll(async () => {
      // A tenant of its own (onboarded by the platform), so its only ADMIN is known.
      const platformUser = localStack().demo.platformUsers[0]!;
      const superToken = await login(platformUser.email, platformUser.password);
      const ruc = `1558${String(randomInt(10_000, 99_999))}-2-2024`;
      const adminEmail = `unico-${randomUUID().slice(0, 8)}@admin.example.com`;
      const created = await callApi('POST', '/v1/tenants', {
        token: superToken,
        headers: key(),
        body: {
          ruc,
          dv: computeRucDv(ruc, '2'),
          name: 'EMPRESA DE UN ADMIN, S.A.',
          address: 'Avenida Balboa, Local 9',
          locationCode: '8-8-7',
          adminEmail,
          adminName: 'Único Admin',
        },
      });
      if (created.status !== 201)
        throw new Error(`tenant creation answered ${created.status}: ${created.text}`);
      const { token } = await acceptInvitation(adminEmail);
      firstAdmin = {
        token,
        userId: String(claimsOf(token).sub),
        call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
      };
    });

    it('cannot be demoted, disabled or deleted (409 LAST_ADMIN), and nothing changes', async () => {
      const attempts = [
        await firstAdmin.call('PATCH', `/v1/users/${firstAdmin.userId}`, { body: { role: 'USER' } }),
        await firstAdmin.call('PATCH', `/v1/users/${firstAdmin.userId}`, { body: { enabled: false } }),
        await firstAdmin.call('DELETE', `/v1/users/${firstAdmin.userId}`),
      ];
      for (const response of attempts) {
        expect(response.status, response.text).toBe(409);
        expect(response.body.code).toBe('LAST_ADMIN');
      }
      const read = await firstAdmin.call('GET', `/v1/users/${firstAdmin.userId}`);
      expect(read.body.data).toMatchObject({ role: 'ADMIN', enabled: true });
    });

    it('two ADMINs demoting each other at once: exactly one succeeds, one ADMIN remains', async () => {
      const secondEmail = `segundo-${randomUUID().slice(0, 8)}@admin.example.com`;
      const invited = await firstAdmin.call('POST', '/v1/users', {
        body: { email: secondEmail, name: 'Segundo Admin', role: 'ADMIN' },
        headers: key(),
      });
      expect(invited.status, invited.text).toBe(201);
      const secondId = invited.body.data.userId;
      const results = await Promise.all([
        firstAdmin.call('PATCH', `/v1/users/${secondId}`, { body: { role: 'USER' } }),
        firstAdmin.call('PATCH', `/v1/users/${firstAdmin.userId}`, { body: { role: 'USER' } }),
      ]);
      const statuses = results.map((response) => response.status).sort();
      // Either the race is lost on the counter (409 LAST_ADMIN) or on the item read (409 USER_CHANGED is not
      // possible here: each request changes a different user).
      expect(statuses, results.map((r) => r.text).join('\n')).toEqual([200, 409]);
      expect(results.find((response) => response.status === 409)!.body.code).toBe('LAST_ADMIN');
      const listed = await firstAdmin.call('GET', '/v1/users');
      const admins = listed.body.data.items.filter((item: Json) => item.role === 'ADMIN' && item.enabled);
      expect(admins).toHaveLength(1);
    });
  });
});
