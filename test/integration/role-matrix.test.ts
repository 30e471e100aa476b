import { randomInt, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiRoute, apiRoutes, isPublic, methodOf } from '#infra/routes';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import type { Operation } from '#shared/http/operation';
import { PERMISSIONS, ROLES, type Role } from '#shared/tenancy/context';
import {
  type ApiResponse,
  callApi,
  exampleDocument,
  hkaSandbox,
  issueAndWait,
  type Json,
  localStack,
  login,
  pollUntil,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * Every route of infra/routes.ts × every seeded role, through the local cloud as a client would call it, with
 * the request each operation declares as its example. A role the operation's permission leaves out gets 403
 * in the error envelope (SUPER_ADMIN, who has no tenant, TENANT_REQUIRED; a tenant role ROLE_NOT_ALLOWED);
 * a role it allows is never refused (no 401/403) and gets the success status with data its response schema
 * accepts — unless the request depends on a state the matrix does not build (STATE_BOUND). A new route is in
 * the matrix as soon as it is in the route list.
 */

const TENANT = 0;

/**
 * Allowed calls that cannot succeed with the declared example, and what they answer instead (still proving
 * that the role passed the permission check).
 */
const STATE_BOUND: Partial<Record<string, { status: number; code: string; why: string }>> = {
  retryDocument: {
    status: 409,
    code: 'DOCUMENT_NOT_RETRYABLE',
    why: 'only a FAILED document (or one whose attempt was lost) can be retried; the matrix has AUTHORIZED ones',
  },
  uploadCertificate: {
    status: 422,
    code: 'CERTIFICATE_INVALID',
    why: "the example's P12 is the start of a file, not a certificate issued to the tenant's RUC",
  },
  deleteCertificate: {
    status: 404,
    code: 'CERTIFICATE_NOT_FOUND',
    why: 'the tenant has no certificate with the example id',
  },
  createWebhook: {
    status: 422,
    code: 'WEBHOOK_URL_REFUSED',
    why: "the example's host (under example.com, RFC 2606) resolves nowhere: an endpoint must resolve to public addresses",
  },
  deleteWebhook: {
    status: 404,
    code: 'WEBHOOK_NOT_FOUND',
    why: 'the tenant has no webhook with the example id',
  },
  listWebhookDeliveries: {
    status: 404,
    code: 'WEBHOOK_NOT_FOUND',
    why: 'the tenant has no webhook with the example id',
  },
  redeliverWebhookDelivery: {
    status: 404,
    code: 'WEBHOOK_NOT_FOUND',
    why: 'the tenant has no webhook with the example id',
  },
  testWebhook: {
    status: 404,
    code: 'WEBHOOK_NOT_FOUND',
    why: 'the tenant has no webhook with the example id',
  },
  cancelBatch: {
    status: 409,
    code: 'BATCH_FINISHED',
    why: "the matrix's batch has finished (a batch can only be cancelled while its rows are being issued)",
  },
};

type Caller = { role: Role; token: string };

/** Resources the examples' path ids are replaced with, created once. */
type Fixtures = {
  /** AUTHORIZED: read, downloaded, e-mailed, retried. */
  documentId: string;
  /** Its CUFE: read by CUFE. */
  documentCufe: string;
  /** One AUTHORIZED document per role that may cancel (a cancelled document cannot be cancelled again). */
  toCancel: Partial<Record<Role, string>>;
  /** Onboarded for the matrix: read and suspended (never a seeded tenant, which other files use). */
  tenantId: string;
  /** Invited for the matrix: given folios, read, given another role (never the seeded ADMIN: other files use it). */
  userId: string;
  /** One invited user per role that may delete users. */
  toDelete: Partial<Record<Role, string>>;
  /** One API key per role that may revoke keys (the tenant's own: the routes' 20-key limit is per tenant). */
  toRevoke: Partial<Record<Role, string>>;
  /** An export job of the seeded tenant (its example's period). */
  exportId: string;
  /** The seeded tenant's own profile, as PUT /v1/profile takes it. */
  profile: Record<string, unknown>;
  /** Read and replaced (the examples' own RUC and code: a PUT to the same values). */
  customerId: string;
  productId: string;
  /** One per role that may delete. */
  customersToDelete: Partial<Record<Role, string>>;
  productsToDelete: Partial<Record<Role, string>>;
  /** A RUC registered in the sandbox's DGI registry per role that may create customers (one customer per RUC). */
  customerRucs: Partial<Record<Role, { ruc: string; dv: string }>>;
  /** A finished batch (one document): read, its rows listed, cancelled too late. */
  batchId: string;
};

let callers: Caller[];
let fixtures: Fixtures;

const allowedRoles = (op: Operation): readonly Role[] => (op.permission ? PERMISSIONS[op.permission] : ROLES);

/** The example's request, with ids made real and unique keys made unique. */
function requestOf(
  route: ApiRoute,
  role: Role,
): { path: string; body?: unknown; headers: Record<string, string> } {
  const op = route.operation;
  const params = { ...(op.example?.params as Record<string, string> | undefined) };
  if ('id' in params && op.path.startsWith('/v1/documents/')) {
    // A role that may not cancel names no real document: let through by mistake, it fails its 403 alone
    // instead of cancelling the document the other routes read.
    params.id =
      op.operationId === 'cancelDocument'
        ? (fixtures.toCancel[role] ?? 'no-document-to-cancel')
        : fixtures.documentId;
  }
  if ('cufe' in params) params.cufe = fixtures.documentCufe;
  if ('code' in params && op.path.startsWith('/v1/branches/')) params.code = '0000';
  if ('id' in params && op.path.startsWith('/v1/tenants/')) params.id = fixtures.tenantId;
  if ('id' in params && op.path.startsWith('/v1/users/')) {
    params.id =
      op.operationId === 'deleteUser' ? (fixtures.toDelete[role] ?? 'no-user-to-delete') : fixtures.userId;
  }
  if ('id' in params && op.path.startsWith('/v1/api-keys/')) {
    params.id = fixtures.toRevoke[role] ?? 'no-key-to-revoke';
  }
  if ('id' in params && op.path.startsWith('/v1/customers/')) {
    params.id =
      op.operationId === 'deleteCustomer'
        ? (fixtures.customersToDelete[role] ?? 'no-customer-to-delete')
        : fixtures.customerId;
  }
  if ('id' in params && op.path.startsWith('/v1/products/')) {
    params.id =
      op.operationId === 'deleteProduct'
        ? (fixtures.productsToDelete[role] ?? 'no-product-to-delete')
        : fixtures.productId;
  }
  if ('id' in params && op.path.startsWith('/v1/exports/')) params.id = fixtures.exportId;
  if ('id' in params && op.path.startsWith('/v1/batches/')) params.id = fixtures.batchId;
  if (op.path.includes('{file}')) params.file = 'viewer.js';
  let body = op.example?.body;
  // Branch codes are never reused: a fresh one per call keeps the example's shape without a 409.
  if (op.operationId === 'createBranch') body = { ...(body as object), code: uniqueBranchCode() };
  if (op.operationId === 'createPointOfSale') body = { ...(body as object), code: uniquePointOfSaleCode() };
  // A RUC is registered once and an e-mail is one person's: fresh ones per call.
  if (op.operationId === 'createTenant') body = { ...(body as object), ...freshTenantIdentity() };
  if (op.operationId === 'inviteUser') body = { ...(body as object), email: freshEmail('invited') };
  // Folios go to a person of the tenant: the one invited for the matrix.
  if (op.operationId === 'assignFolios') body = { ...(body as object), userId: fixtures.userId };
  // The seeded tenant's name and address print on the documents of the other files: it keeps its own.
  if (op.operationId === 'putProfile') body = fixtures.profile;
  // One customer per RUC and one product per code: fresh ones per call. Replaces name no version (each role's
  // PUT follows another's).
  if (op.operationId === 'createCustomer') body = { ...(body as object), ...fixtures.customerRucs[role] };
  if (op.operationId === 'createProduct')
    body = { ...(body as object), code: `P-${randomUUID().slice(0, 8)}` };
  if (op.operationId === 'updateCustomer' || op.operationId === 'updateProduct') {
    body = { ...(body as object), version: undefined };
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? name));
  const query = new URLSearchParams(
    Object.entries((op.example?.query ?? {}) as Record<string, unknown>).map(
      ([name, value]): [string, string] => [name, String(value)],
    ),
  ).toString();
  return {
    path: query ? `${path}?${query}` : path,
    body,
    headers: op.idempotent ? { 'idempotency-key': randomUUID() } : {},
  };
}

const uniqueBranchCode = () => `R${randomUUID().replace(/-/g, '').slice(0, 3).toUpperCase()}`;
let nextPointOfSale = 100 + Math.floor(Math.random() * 800);
const uniquePointOfSaleCode = () => String(nextPointOfSale++);
const freshEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@cafedelistmo.com.pa`;
function freshTenantIdentity(): { ruc: string; dv: string; adminEmail: string } {
  const ruc = `1557${String(randomInt(10_000, 99_999))}-2-2025`;
  return { ruc, dv: computeRucDv(ruc, '2'), adminEmail: freshEmail('admin') };
}

/** A tenant onboarded by the SUPER_ADMIN, or a user or API key the ADMIN creates, from the routes' examples. */
async function created(path: string, token: string, body: unknown): Promise<Json> {
  const response = await callApi('POST', path, { token, body, headers: { 'idempotency-key': randomUUID() } });
  expect(response.status, response.text).toBe(201);
  return response.body.data;
}

function call(route: ApiRoute, caller: Caller | undefined, role: Role): Promise<ApiResponse> {
  const { path, body, headers } = requestOf(route, role);
  return callApi(methodOf(route), path, { token: caller?.token, body, headers });
}

beforeAll(async () => {
  const platformUser = localStack().demo.platformUsers.find((user) => user.role === 'SUPER_ADMIN');
  if (!platformUser) throw new Error('the local cloud seeded no SUPER_ADMIN');
  const [admin, user, operator, superAdminToken] = await Promise.all([
    session(TENANT, 'ADMIN'),
    session(TENANT, 'USER'),
    session(TENANT, 'OPERATOR'),
    login(platformUser.email, platformUser.password),
  ]);
  const sessions: Record<Exclude<Role, 'SUPER_ADMIN'>, Session> = {
    ADMIN: admin,
    USER: user,
    OPERATOR: operator,
  };
  callers = [
    { role: 'SUPER_ADMIN', token: superAdminToken },
    ...Object.entries(sessions).map(([role, s]) => ({ role: role as Role, token: s.token })),
  ];

  const cancellers = allowedRoles(routedOperation('cancelDocument')).filter((role) => role !== 'SUPER_ADMIN');
  const authorized = await Promise.all(
    [undefined, ...cancellers].map(() => issueAndWait(admin, exampleDocument('invoice-taxpayer.json'))),
  );
  for (const document of authorized)
    expect(document.status, JSON.stringify(document.reasons)).toBe('AUTHORIZED');

  const deleters = allowedRoles(routedOperation('deleteUser')).filter((role) => role !== 'SUPER_ADMIN');
  const invite = () => ({
    ...(routedOperation('inviteUser').example?.body as object),
    email: freshEmail('fixture'),
  });
  const revokers = allowedRoles(routedOperation('revokeApiKey')).filter((role) => role !== 'SUPER_ADMIN');
  const toRevoke = await Promise.all(
    revokers.map(() =>
      created('/v1/api-keys', admin.token, routedOperation('createApiKey').example?.body as object),
    ),
  );
  const [tenant, invited, ...toDelete] = await Promise.all([
    created('/v1/tenants', superAdminToken, {
      ...(routedOperation('createTenant').example?.body as object),
      ...freshTenantIdentity(),
    }),
    ...[undefined, ...deleters].map(() => created('/v1/users', admin.token, invite())),
  ]);
  const catalogueFixtures = await createCatalogueFixtures(admin);
  const exportJob = await callApi('POST', '/v1/exports', {
    token: admin.token,
    body: routedOperation('createExport').example?.body,
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(exportJob.status, exportJob.text).toBe(202);
  const batch = await admin.call('POST', '/v1/batches', {
    body: routedOperation('createBatch').example?.body,
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(batch.status, batch.text).toBe(202);
  const finishedBatch = await pollUntil(
    () => admin.call('GET', `/v1/batches/${batch.body.data.id}`),
    (response) => response.body?.data?.finishedAt !== null,
    90_000,
  );
  expect(finishedBatch.body.data.status, finishedBatch.text).toBe('DONE');
  const profile = await admin.call('GET', '/v1/profile');
  expect(profile.status, profile.text).toBe(200);
  const { name, tradeName, address, locationCode, phone, email } = profile.body.data;
  fixtures = {
    documentId: authorized[0].id,
    documentCufe: authorized[0].cufe,
    toCancel: Object.fromEntries(cancellers.map((role, index) => [role, authorized[index + 1].id])),
    tenantId: tenant.id,
    userId: invited.userId,
    toDelete: Object.fromEntries(deleters.map((role, index) => [role, toDelete[index].userId])),
    toRevoke: Object.fromEntries(revokers.map((role, index) => [role, toRevoke[index].id])),
    exportId: exportJob.body.data.id,
    // null is how the profile shows an absent field; the PUT takes it absent (JSON drops the undefined).
    profile: {
      name,
      address,
      locationCode,
      tradeName: tradeName ?? undefined,
      phone: phone ?? undefined,
      email: email ?? undefined,
    },
    ...catalogueFixtures,
    batchId: batch.body.data.id,
  };
}, 180_000);

/** The customers and products the catalogue routes read, replace and delete, and RUCs for the creations. */
async function createCatalogueFixtures(admin: Session) {
  const deleters = (operationId: string) =>
    allowedRoles(routedOperation(operationId)).filter((role) => role !== 'SUPER_ADMIN');
  const creators = deleters('createCustomer');
  const consumer = { type: 'final-consumer', name: 'Consumidor de la matriz' };
  const product = () => ({
    ...(routedOperation('createProduct').example?.body as object),
    code: `P-${randomUUID().slice(0, 8)}`,
  });
  const [customer, productToReplace, customersToDelete, productsToDelete, rucs] = await Promise.all([
    created('/v1/customers', admin.token, routedOperation('createCustomer').example?.body as object),
    created('/v1/products', admin.token, routedOperation('createProduct').example?.body as object),
    Promise.all(deleters('deleteCustomer').map(() => created('/v1/customers', admin.token, consumer))),
    Promise.all(deleters('deleteProduct').map(() => created('/v1/products', admin.token, product()))),
    Promise.all(
      creators.map(() => {
        const ruc = `${randomInt(100_000, 999_999)}-1-${randomInt(2000, 2026)}`;
        return hkaSandbox.registerRuc({ tipoRuc: '2', ruc, razonSocial: 'DISTRIBUIDORA EJEMPLO, S.A.' });
      }),
    ),
  ]);
  const byRole = <T>(roles: readonly Role[], values: T[]) =>
    Object.fromEntries(roles.map((role, index) => [role, values[index]])) as Partial<Record<Role, T>>;
  return {
    customerId: customer.id as string,
    productId: productToReplace.id as string,
    customersToDelete: byRole(
      deleters('deleteCustomer'),
      customersToDelete.map((entry) => entry.id as string),
    ),
    productsToDelete: byRole(
      deleters('deleteProduct'),
      productsToDelete.map((entry) => entry.id as string),
    ),
    customerRucs: byRole(creators, rucs),
  };
}

function routedOperation(operationId: string): Operation {
  const route = apiRoutes.find((candidate) => candidate.operation.operationId === operationId);
  if (!route) throw new Error(`no route serves ${operationId}`);
  return route.operation;
}

describe('role matrix: every route × every role', () => {
  it.each(apiRoutes.map((route) => [`${methodOf(route)} ${route.operation.path}`, route] as const))(
    '%s',
    async (_name, route) => {
      // Prepare
      const op = route.operation;
      const allowed = allowedRoles(op);
      const callersOfRoute: Array<{ role: Role | 'anonymous'; caller?: Caller }> = [
        ...callers.map((caller) => ({ role: caller.role, caller })),
        ...(isPublic(route) ? [{ role: 'anonymous' as const }] : []),
      ];

      // Act
      const answers = await Promise.all(
        callersOfRoute.map(async ({ role, caller }) => ({
          role,
          response: await call(route, caller, role === 'anonymous' ? 'USER' : role),
        })),
      );

      // Assess
      for (const { role, response } of answers) {
        const label = `${role}: ${response.status} ${response.text.slice(0, 300)}`;
        if (role !== 'anonymous' && !allowed.includes(role)) {
          expect(response.status, label).toBe(403);
          expect(response.body, label).toMatchObject({
            success: false,
            code: role === 'SUPER_ADMIN' ? 'TENANT_REQUIRED' : 'ROLE_NOT_ALLOWED',
            requestId: expect.any(String),
          });
          continue;
        }
        expect([401, 403], label).not.toContain(response.status);
        const bound = STATE_BOUND[op.operationId];
        if (bound) {
          expect(response.status, label).toBe(bound.status);
          expect(response.body?.code, `${label} (${bound.why})`).toBe(bound.code);
          continue;
        }
        expect(response.status, label).toBe(op.successStatus);
        if (op.response) {
          expect(response.body?.success, label).toBe(true);
          const parsed = op.response.safeParse(response.body.data);
          expect(parsed.error?.issues ?? [], `${role}: the answer matches the response schema`).toEqual([]);
        }
      }
    },
  );
});
