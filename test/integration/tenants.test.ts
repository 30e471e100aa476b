import { randomInt, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
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
import { acceptInvitation, claimsOf, invitationOf, localLogs } from './helpers/people.ts';

/**
 * Tenant onboarding through the local cloud, as the platform operator and the new company's people do it:
 * the SUPER_ADMIN creates a tenant, Cognito's invitation with a temporary password reaches the new ADMIN in
 * the mail viewer, the ADMIN signs in on the hosted UI (new password, authenticator) and finds the company
 * ready (profile, head office, users); tenant ADMINs cannot reach the platform routes; a suspended tenant's
 * people get 403 TENANT_SUSPENDED.
 */

const key = () => ({ 'idempotency-key': randomUUID() });

/** A RUC of a legal entity no other test uses, with its check digit. */
function freshRuc(): { ruc: string; dv: string } {
  const ruc = `1557${String(randomInt(10_000, 99_999))}-2-2024`;
  return { ruc, dv: computeRucDv(ruc, '2') };
}

function newTenantBody(overrides: Record<string, unknown> = {}) {
  const suffix = randomUUID().slice(0, 8);
  return {
    ...freshRuc(),
    name: `EMPRESA PRUEBA ${suffix.toUpperCase()}, S.A.`,
    tradeName: 'Empresa Prueba',
    address: 'Calle 50, Torre Prueba, Piso 3',
    locationCode: '8-8-7',
    phone: '507-1234',
    email: `facturas@${suffix}.example.com`,
    adminEmail: `admin-${suffix}@empresa.example.com`,
    adminName: 'Ana Administradora',
    ...overrides,
  };
}

describe('tenants (platform)', () => {
  let superAdmin: { token: string; call: Session['call'] };
  let tenantAdmin: Session;

  beforeAll(async () => {
    const platformUser = localStack().demo.platformUsers[0];
    if (!platformUser) throw new Error('the local cloud seeded no platform user');
    const token = await login(platformUser.email, platformUser.password);
    superAdmin = {
      token,
      call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
    };
    tenantAdmin = await session(0, 'ADMIN');
  });

  it('a tenant ADMIN gets 403 on every platform route', async () => {
    const responses = await Promise.all([
      tenantAdmin.call('GET', '/v1/tenants'),
      tenantAdmin.call('GET', `/v1/tenants/${tenantAdmin.user.tenantId}`),
      tenantAdmin.call('POST', '/v1/tenants', { body: newTenantBody(), headers: key() }),
      tenantAdmin.call('PATCH', `/v1/tenants/${tenantAdmin.user.tenantId}`, {
        body: { status: 'suspended' },
      }),
    ]);
    for (const response of responses) {
      expect(response.status, response.text).toBe(403);
      expect(response.body.code).toBe('ROLE_NOT_ALLOWED');
    }
  });

  it('refuses a wrong DV, a location outside the catalogue and a missing admin with field paths (422)', async () => {
    const body = newTenantBody();
    const wrongDv = String((Number(body.dv) + 1) % 100).padStart(2, '0');
    const refused = await superAdmin.call('POST', '/v1/tenants', {
      body: { ...body, dv: wrongDv },
      headers: key(),
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'dv' })]);
    const shape = await superAdmin.call('POST', '/v1/tenants', {
      body: { ...body, locationCode: '99-99-99', adminEmail: undefined },
      headers: key(),
    });
    expect(shape.status, shape.text).toBe(422);
    expect(shape.body.details.map((detail: Json) => detail.path)).toEqual(
      expect.arrayContaining(['locationCode', 'adminEmail']),
    );
  });

  describe('onboarding a company', () => {
    const body = newTenantBody();
    let tenantId: string;
    let adminToken: string;

    it('SUPER_ADMIN creates the tenant (201) and it is listed and readable with its registry data only', async () => {
      const created = await superAdmin.call('POST', '/v1/tenants', { body, headers: key() });
      expect(created.status, created.text).toBe(201);
      tenantId = created.body.data.id;
      expect(tenantId).toMatch(/^empresa-prueba-[a-z0-9-]+$/);
      expect(created.headers.get('location')).toBe(`/v1/tenants/${tenantId}`);
      expect(created.body.data).toMatchObject({
        ruc: body.ruc,
        dv: body.dv,
        name: body.name,
        status: 'active',
        admin: { email: body.adminEmail, name: body.adminName, invited: true },
      });

      const read = await superAdmin.call('GET', `/v1/tenants/${tenantId}`);
      expect(read.status, read.text).toBe(200);
      expect(read.body.data).toEqual(created.body.data);

      // Paged: one tenant a page until the new one appears (the demo tenants come first or after).
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await superAdmin.call('GET', `/v1/tenants?limit=1${query}`);
        expect(page.status, page.text).toBe(200);
        expect(page.body.data.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.body.data.items.map((item: Json) => item.id));
        cursor = page.body.data.nextCursor;
      } while (cursor);
      expect(seen).toEqual(
        expect.arrayContaining([tenantId, ...localStack().demo.tenants.map((t) => t.tenantId)]),
      );

      const forged = await superAdmin.call('GET', '/v1/tenants?cursor=c1.eyJwayI6IlQjeCJ9.AAAA');
      expect(forged.status, forged.text).toBe(400);
      expect(forged.body.code).toBe('INVALID_CURSOR');
      expect((await superAdmin.call('GET', '/v1/tenants/no-such-tenant')).status).toBe(404);
    });

    it('the same RUC again → 409 RUC_ALREADY_REGISTERED, and nothing else is created', async () => {
      const again = await superAdmin.call('POST', '/v1/tenants', {
        body: { ...newTenantBody(), ruc: body.ruc, dv: body.dv },
        headers: key(),
      });
      expect(again.status, again.text).toBe(409);
      expect(again.body).toMatchObject({ code: 'RUC_ALREADY_REGISTERED', details: [{ path: 'ruc' }] });
    });

    it('the first ADMIN gets Cognito’s invitation, signs in with a new password and finds the company ready', async () => {
      const invitation = await invitationOf(body.adminEmail);
      expect(invitation.subject).toMatch(/temporary password/i);
      const accepted = await acceptInvitation(body.adminEmail);
      adminToken = accepted.token;
      expect(claimsOf(adminToken)).toMatchObject({ 'custom:tenantId': tenantId, email: body.adminEmail });
      const call = (method: string, path: string) => callApi(method, path, { token: adminToken });

      const profile = await call('GET', '/v1/profile');
      expect(profile.status, profile.text).toBe(200);
      expect(profile.body.data).toMatchObject({
        ruc: body.ruc,
        dv: body.dv,
        name: body.name,
        tradeName: body.tradeName,
        address: body.address,
        locationCode: '8-8-7',
        phone: body.phone,
        email: body.email,
        logo: null,
      });
      const branches = await call('GET', '/v1/branches');
      expect(branches.body.data).toEqual([
        expect.objectContaining({
          code: '0000',
          address: body.address,
          location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
        }),
      ]);
      expect((await call('GET', '/v1/branches/0000/points-of-sale')).body.data).toEqual([
        expect.objectContaining({ code: '001' }),
      ]);
      expect((await call('GET', '/v1/settings/issuing')).body.data).toMatchObject({
        channel: 'hka-integration',
        defaultBranch: '0000',
        defaultPointOfSale: '001',
      });
      const users = await call('GET', '/v1/users');
      expect(users.status, users.text).toBe(200);
      expect(users.body.data.items).toEqual([
        expect.objectContaining({
          email: body.adminEmail,
          name: body.adminName,
          role: 'ADMIN',
          enabled: true,
        }),
      ]);
    });

    it('the temporary password is in no response, no table item and no log', async () => {
      const { temporaryPassword } = await invitationOf(body.adminEmail);
      const items = await dynamoClient().send(new ScanCommand({ TableName: tableName() }));
      expect(JSON.stringify(items.Items)).not.toContain(temporaryPassword);
      const read = await superAdmin.call('GET', `/v1/tenants/${tenantId}`);
      expect(read.text).not.toContain(temporaryPassword);
      expect(localLogs()).not.toContain(temporaryPassword);
    });

    it('SUPER_ADMIN reads no tenant data through the tenant routes (403 TENANT_REQUIRED)', async () => {
      for (const path of ['/v1/documents', '/v1/profile', '/v1/users']) {
        const response = await superAdmin.call('GET', path);
        expect(response.status, response.text).toBe(403);
      }
    });

    it('suspension: the tenant’s people get 403 TENANT_SUSPENDED (the authorizer reads the registry); reactivation restores them', async () => {
      const suspended = await superAdmin.call('PATCH', `/v1/tenants/${tenantId}`, {
        body: { status: 'suspended' },
      });
      expect(suspended.status, suspended.text).toBe(200);
      expect(suspended.body.data).toMatchObject({ id: tenantId, status: 'suspended' });
      expect((await superAdmin.call('GET', `/v1/tenants/${tenantId}`)).body.data.status).toBe('suspended');
      const again = await superAdmin.call('PATCH', `/v1/tenants/${tenantId}`, {
        body: { status: 'suspended' },
      });
      expect(again.body.data.status).toBe('suspended');

      // The authorizer caches its decision for its TTL (60 s; tested in api-keys.test.ts): flush it, as
      // API Gateway's FlushStageAuthorizersCache does.
      await flushAuthorizerCache();
      const refused = await callApi('GET', '/v1/profile', { token: adminToken });
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body.code).toBe('TENANT_SUSPENDED');

      const reactivated = await superAdmin.call('PATCH', `/v1/tenants/${tenantId}`, {
        body: { status: 'active' },
      });
      expect(reactivated.body.data.status).toBe('active');
      await flushAuthorizerCache();
      const back = await callApi('GET', '/v1/profile', { token: adminToken });
      expect(back.status, back.text).toBe(200);
    });

    it('another tenant is untouched by the suspension (its ADMIN keeps working)', async () => {
      const response = await tenantAdmin.call('GET', '/v1/profile');
      expect(response.status, response.text).toBe(200);
    });
  });
});
