import { randomInt, randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import {
  type ApiResponse,
  callApi,
  dynamoClient,
  exampleDocument,
  flushAuthorizerCache,
  hkaSandbox,
  type Json,
  localStack,
  login,
  pollUntil,
  type Session,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';
import { acceptInvitation } from './helpers/people.ts';

/**
 * A company's whole way in, as its people and its integrator take it through the local cloud with plain HTTP:
 * the platform operator onboards it, the invited ADMIN signs in on the hosted login (code + PKCE, a new password,
 * an authenticator), sets the HKA credentials, invites a colleague and creates an API key; the integrator's key
 * issues a document to AUTHORIZED; revoked, the key is refused; the audit trail names every step and its actor.
 * Then a suspension: the tenant's calls get 403 TENANT_SUSPENDED while its document already in the pipeline ends
 * AUTHORIZED.
 */

type Caller = Pick<Session, 'token' | 'call'>;

const callerWith = (token: string): Caller => ({
  token,
  call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
});

const withKey = () => ({ 'idempotency-key': randomUUID() });

/** The document item as the table holds it: read directly while the tenant's own calls are refused. */
async function storedDocument(tenantId: string, documentId: string): Promise<Json> {
  const { Item } = await dynamoClient().send(
    new GetItemCommand({ TableName: tableName(), Key: marshallKey(keys.document(tenantId, documentId)) }),
  );
  return Item ? unmarshall(Item) : undefined;
}

const marshallKey = (key: { pk: string; sk: string }) => ({ pk: { S: key.pk }, sk: { S: key.sk } });

function expectCreated(response: ApiResponse): Json {
  expect(response.status, response.text).toBe(201);
  return response.body.data;
}

describe('onboarding: from a new company to an integrator’s authorized invoice', () => {
  const suffix = randomUUID().slice(0, 8);
  const ruc = `1557${String(randomInt(10_000, 99_999))}-2-2023`;
  const company = {
    ruc,
    dv: computeRucDv(ruc, '2'),
    name: `FERRETERIA EL PUENTE ${suffix.toUpperCase()}, S.A.`,
    tradeName: 'Ferretería El Puente',
    address: 'Vía España, Edificio Puente, Local 4',
    locationCode: '8-8-7',
    phone: '507-2233',
    email: `facturas@${suffix}.puente.com.pa`,
    adminEmail: `gerencia-${suffix}@puente.com.pa`,
    adminName: 'Gerencia El Puente',
  };
  let superAdmin: Caller;
  let superAdminId: string;
  let tenantId: string;
  let admin: Caller;
  let adminId: string;
  let apiKey: { id: string; prefix: string; secret: string };
  let seededAdmin: Session;

  beforeAll(async () => {
    const platformUser = localStack().demo.platformUsers.find((user) => user.role === 'SUPER_ADMIN');
    if (!platformUser) throw new Error('the local cloud seeded no SUPER_ADMIN');
    superAdmin = callerWith(await login(platformUser.email, platformUser.password));
    superAdminId = JSON.parse(Buffer.from(superAdmin.token.split('.')[1]!, 'base64url').toString()).sub;
    seededAdmin = await session(0, 'ADMIN');
  });

  it('the SUPER_ADMIN onboards the company; its ADMIN signs in through the hosted login with a new password', async () => {
    const tenant = expectCreated(
      await superAdmin.call('POST', '/v1/tenants', { body: company, headers: withKey() }),
    );
    tenantId = tenant.id;

    const accepted = await acceptInvitation(company.adminEmail);
    admin = callerWith(accepted.token);
    const users = await admin.call('GET', '/v1/users');
    expect(users.status, users.text).toBe(200);
    expect(users.body.data.items).toEqual([
      expect.objectContaining({ email: company.adminEmail, role: 'ADMIN', enabled: true }),
    ]);
    adminId = users.body.data.items[0].userId;
  });

  it('the ADMIN sets the HKA credentials, invites a colleague and creates an API key', async () => {
    const atHka = await hkaSandbox.addTenant({ name: company.name, ruc: company.ruc, rucType: '2' });
    const credentials = await admin.call('PUT', '/v1/settings/hka-credentials', {
      body: { environment: 'demo', tokenEmpresa: atHka.tokenEmpresa, tokenPassword: atHka.tokenPassword },
    });
    expect(credentials.status, credentials.text).toBe(200);
    expect(credentials.text).not.toContain(atHka.tokenPassword);

    expectCreated(
      await admin.call('POST', '/v1/users', {
        body: { email: `caja-${suffix}@puente.com.pa`, name: 'Caja 1', role: 'USER' },
        headers: withKey(),
      }),
    );
    apiKey = expectCreated(
      await admin.call('POST', '/v1/api-keys', {
        body: { name: 'Sistema de la tienda', role: 'USER', environment: 'test' },
        headers: withKey(),
      }),
    );
    expect(apiKey.secret).toMatch(/^fk_test_/);
    expect((await admin.call('GET', '/v1/api-keys')).text).not.toContain(apiKey.secret);
  });

  it('the integrator’s key issues a document that reaches AUTHORIZED, recorded as issued by the key', async () => {
    const integrator = callerWith(apiKey.secret);
    const issued = await integrator.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-taxpayer.json'),
      headers: withKey(),
    });
    expect(issued.status, issued.text).toBe(202);

    const final = await waitForFinal(integrator as Session, issued.body.data.id);
    expect(final.body.data.status, JSON.stringify(final.body.data.reasons)).toBe('AUTHORIZED');
    // Authorized at HKA under the new company's own RUC and credentials.
    const atHka = (await hkaSandbox.state()).tenants.find((tenant) => tenant.ruc === company.ruc);
    expect(atHka?.documents.map((document) => document.cufe)).toContain(final.body.data.cufe);
    expect((await storedDocument(tenantId, issued.body.data.id)).createdBy).toBe(`api-key:${apiKey.id}`);
  });

  it('revoked, the key is refused with 401 and the envelope', async () => {
    const revoked = await admin.call('DELETE', `/v1/api-keys/${apiKey.id}`);
    expect(revoked.status, revoked.text).toBe(200);
    await flushAuthorizerCache();

    const refused = await callerWith(apiKey.secret).call('GET', '/v1/documents');
    expect(refused.status, refused.text).toBe(401);
    expect(refused.body).toMatchObject({ success: false });
  });

  it('the audit trail lists each step with its actor; the platform’s lists the onboarding', async () => {
    const tenantTrail = await admin.call('GET', '/v1/audit-events?limit=100');
    expect(tenantTrail.status, tenantTrail.text).toBe(200);
    const steps = (tenantTrail.body.data.items as Json[]).map((entry) => [entry.action, entry.actor]);
    const byAdmin = { type: 'user', id: adminId, email: company.adminEmail };
    expect(steps).toEqual(
      expect.arrayContaining([
        ['hka-credentials.set', byAdmin],
        ['user.invited', byAdmin],
        ['api-key.created', byAdmin],
        ['api-key.revoked', byAdmin],
      ]),
    );
    for (const entry of tenantTrail.body.data.items as Json[]) {
      expect(entry.requestId).toEqual(expect.any(String));
      expect(entry.sourceIp).toEqual(expect.any(String));
    }
    expect(tenantTrail.text).not.toContain(apiKey.secret);

    const platformTrail = await superAdmin.call('GET', '/v1/audit-events?action=tenant.created&limit=100');
    expect(platformTrail.status, platformTrail.text).toBe(200);
    expect(platformTrail.body.data.items).toContainEqual(
      expect.objectContaining({
        action: 'tenant.created',
        target: { type: 'tenant', id: tenantId },
        actor: expect.objectContaining({ type: 'user', id: superAdminId }),
      }),
    );

    const otherTenant = await seededAdmin.call('GET', '/v1/audit-events?limit=100');
    expect(otherTenant.status, otherTenant.text).toBe(200);
    expect(otherTenant.text).not.toContain(tenantId);
    expect(otherTenant.text).not.toContain(apiKey.id);
  });

  it('suspended: its calls get 403 TENANT_SUSPENDED, and the document already in the pipeline ends AUTHORIZED', async () => {
    // HKA answers slowly, so the document is still in the pipeline when the tenant is suspended.
    await hkaSandbox.setFaultsOf(company.ruc, [{ kind: 'latency', ms: 8_000, operations: ['Enviar'] }]);
    try {
      const issued = await admin.call('POST', '/v1/documents', {
        body: exampleDocument('invoice-taxpayer.json'),
        headers: withKey(),
      });
      expect(issued.status, issued.text).toBe(202);
      const documentId = issued.body.data.id;

      const suspended = await superAdmin.call('PATCH', `/v1/tenants/${tenantId}`, {
        body: { status: 'suspended' },
      });
      expect(suspended.status, suspended.text).toBe(200);
      await flushAuthorizerCache();

      const refused = await admin.call('GET', `/v1/documents/${documentId}`);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body.code).toBe('TENANT_SUSPENDED');
      expect((await storedDocument(tenantId, documentId)).status).not.toBe('AUTHORIZED');

      const finished = await pollUntil(
        () => storedDocument(tenantId, documentId),
        (item) => item?.status === 'AUTHORIZED' || item?.status === 'FAILED' || item?.status === 'REJECTED',
        90_000,
      );
      expect(finished.status, JSON.stringify(finished.reasons)).toBe('AUTHORIZED');
    } finally {
      await hkaSandbox.setFaultsOf(company.ruc, []);
    }

    const reactivated = await superAdmin.call('PATCH', `/v1/tenants/${tenantId}`, {
      body: { status: 'active' },
    });
    expect(reactivated.status, reactivated.text).toBe(200);
    await flushAuthorizerCache();
    expect((await admin.call('GET', '/v1/documents')).status).toBe(200);
  }, 150_000);
});
