import * as z from 'zod';
import { defineOperation } from '#shared/http/operation';
import { TENANT_ID_PATTERN } from './context.ts';
import { profileInputSchema } from './profile.ts';
import {
  type BranchInput,
  branchInputSchema,
  issuingSettingsInputSchema,
  pointOfSaleInputSchema,
} from './provisioning.ts';
import { newTenantSchema } from './tenants.ts';
import { TENANT_STATUSES } from './tenants-registry.ts';
import { userChangeSchema, userInviteSchema } from './users.ts';
import { TENANT_ROLES } from './users-directory.ts';

/** Tenant administration API: branches, points of sale, settings, certificates. */

const branchResource = z.object({
  code: z.string(),
  name: z.string(),
  branchType: z.enum(['1', '2']).optional(),
  address: z.string(),
  coordinates: z.string(),
  location: z.object({
    code: z.string(),
    province: z.string(),
    district: z.string(),
    corregimiento: z.string(),
  }),
  phones: z.array(z.string()),
  emails: z.array(z.string()).optional(),
  createdAt: z.string(),
});
const pointOfSaleResource = z.object({
  branchCode: z.string(),
  code: z.string(),
  name: z.string().optional(),
  createdAt: z.string(),
});
const branchParams = z.object({
  code: z.string().regex(/^[a-zA-Z0-9]{4}$/, 'must be a 4-character branch code'),
});

const issuingSettingsResource = z.object({
  channel: z.enum(['hka-integration', 'emitter-signed']),
  environment: z.enum(['demo', 'prod']),
  lowFolioThreshold: z.number(),
  defaultBranch: z.string(),
  defaultPointOfSale: z.string(),
  cafeLayout: z
    .enum(['letter', 'ticket'])
    .describe('CAFE layout of documents that name no cafeFormat, on both channels'),
  promoteWarnings: z
    .boolean()
    .describe('true → every pre-flight warning refuses the document (422) like an error'),
  contingency: z
    .object({ enabled: z.boolean(), afterMinutes: z.number() })
    .describe(
      'emitter-signed only: when HKA has been unreachable for more than afterMinutes, new documents are issued in contingency (tipoEmision 02), delivered, and sent to HKA when it answers',
    ),
});

const certificateResource = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  fingerprintSha256: z.string().nullable(),
  createdAt: z.string(),
});

/** A head office and its first point of sale, settings and a certificate as the examples show them. */
const exampleBranch = {
  code: '0001',
  name: 'Sucursal El Dorado',
  address: 'Centro Comercial El Dorado, Local 5',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['507-0101'],
} satisfies BranchInput;
const exampleBranchResource = {
  ...exampleBranch,
  coordinates: '+8.9833,-79.5167',
  createdAt: '2026-11-22T17:00:00.000Z',
} satisfies z.input<typeof branchResource>;
const examplePointOfSale = {
  branchCode: '0001',
  code: '002',
  name: 'Caja 2',
  createdAt: '2026-11-22T17:00:00.000Z',
} satisfies z.input<typeof pointOfSaleResource>;
const exampleIssuingSettings = {
  channel: 'hka-integration',
  environment: 'demo',
  lowFolioThreshold: 50,
  defaultBranch: '0000',
  defaultPointOfSale: '001',
  cafeLayout: 'letter',
  promoteWarnings: false,
  contingency: { enabled: false, afterMinutes: 30 },
} satisfies z.input<typeof issuingSettingsResource>;
const exampleCertificate = {
  id: '01KBX8A1C9GQ2W7Y3M5N0P4R6T',
  subject: 'CN=CAFE DEMO DEL ISTMO S.A., SERIALNUMBER=155704849-2-2021, C=PA',
  notBefore: '2026-01-15T00:00:00.000Z',
  notAfter: '2028-01-15T00:00:00.000Z',
  fingerprintSha256: '4f1d0c7a9b2e8f6315c0d7e2a4b9f8c1d3e6a5b7c9d0e1f2a3b4c5d6e7f8a9b0',
  createdAt: '2026-11-22T17:00:00.000Z',
} satisfies z.input<typeof certificateResource>;

export const tenantOperations = {
  createBranch: defineOperation({
    operationId: 'createBranch',
    method: 'post',
    path: '/v1/branches',
    summary: 'Create a branch (sucursal)',
    tags: ['branches'],
    permission: 'settings:manage',
    body: branchInputSchema,
    idempotent: true,
    successStatus: 201,
    response: branchResource,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: exampleBranch, response: exampleBranchResource },
  }),
  listBranches: defineOperation({
    operationId: 'listBranches',
    method: 'get',
    path: '/v1/branches',
    summary: 'List branches',
    tags: ['branches'],
    permission: 'documents:read',
    successStatus: 200,
    response: z.array(branchResource),
    errors: [401, 403],
    example: { response: [exampleBranchResource] },
  }),
  createPointOfSale: defineOperation({
    operationId: 'createPointOfSale',
    method: 'post',
    path: '/v1/branches/{code}/points-of-sale',
    summary: 'Create a point of sale (its number series starts at 0000000001)',
    tags: ['branches'],
    permission: 'settings:manage',
    params: branchParams,
    body: pointOfSaleInputSchema,
    idempotent: true,
    successStatus: 201,
    response: pointOfSaleResource,
    errors: [400, 401, 403, 404, 409, 413, 415, 422],
    example: {
      params: { code: '0001' },
      body: { code: '002', name: 'Caja 2' },
      response: examplePointOfSale,
    },
  }),
  listPointsOfSale: defineOperation({
    operationId: 'listPointsOfSale',
    method: 'get',
    path: '/v1/branches/{code}/points-of-sale',
    summary: 'List the points of sale of a branch',
    tags: ['branches'],
    permission: 'documents:read',
    params: branchParams,
    successStatus: 200,
    response: z.array(pointOfSaleResource),
    errors: [401, 403, 404],
    example: { params: { code: '0001' }, response: [examplePointOfSale] },
  }),
  putHkaCredentials: defineOperation({
    operationId: 'putHkaCredentials',
    method: 'put',
    path: '/v1/settings/hka-credentials',
    summary: 'Store the HKA token pair of an environment (encrypted; never returned)',
    tags: ['settings'],
    permission: 'settings:manage',
    body: z.object({
      environment: z.enum(['demo', 'prod']),
      tokenEmpresa: z.string().min(1).max(200),
      tokenPassword: z.string().min(1).max(200),
    }),
    successStatus: 200,
    response: z.object({ environment: z.enum(['demo', 'prod']), configured: z.literal(true) }),
    errors: [400, 401, 403, 413, 415, 422],
    example: {
      body: { environment: 'prod', tokenEmpresa: 'tokenEmpresaDeHKA', tokenPassword: 'tokenPasswordDeHKA' },
      response: { environment: 'prod', configured: true },
    },
  }),
  testHkaCredentials: defineOperation({
    operationId: 'testHkaCredentials',
    method: 'post',
    path: '/v1/settings/hka-credentials/test',
    summary: 'Check the stored HKA credentials (calls FoliosRestantes)',
    tags: ['settings'],
    permission: 'settings:manage',
    query: z.object({ environment: z.enum(['demo', 'prod']).optional() }),
    successStatus: 200,
    response: z.object({
      ok: z.boolean(),
      environment: z.enum(['demo', 'prod']),
      folios: z
        .object({ available: z.number(), used: z.number(), total: z.number() })
        .optional()
        .describe('The cycle counters HKA reported (when ok)'),
      reason: z.string().optional().describe('Why the credentials did not work (when not ok)'),
    }),
    errors: [401, 403, 503],
    example: {
      query: { environment: 'demo' },
      response: { ok: true, environment: 'demo', folios: { available: 842, used: 158, total: 1000 } },
    },
  }),
  getIssuingSettings: defineOperation({
    operationId: 'getIssuingSettings',
    method: 'get',
    path: '/v1/settings/issuing',
    summary: 'Issuing settings',
    tags: ['settings'],
    permission: 'documents:read',
    successStatus: 200,
    response: issuingSettingsResource,
    errors: [401, 403],
    example: { response: exampleIssuingSettings },
  }),
  putIssuingSettings: defineOperation({
    operationId: 'putIssuingSettings',
    method: 'put',
    path: '/v1/settings/issuing',
    summary: 'Change issuing settings (channel, environment, low-folio threshold, defaults, contingency)',
    tags: ['settings'],
    permission: 'settings:manage',
    body: issuingSettingsInputSchema,
    successStatus: 200,
    response: issuingSettingsResource,
    errors: [400, 401, 403, 413, 415, 422],
    example: {
      body: { lowFolioThreshold: 50, cafeLayout: 'letter', promoteWarnings: false },
      response: exampleIssuingSettings,
    },
  }),
  uploadCertificate: defineOperation({
    operationId: 'uploadCertificate',
    method: 'post',
    path: '/v1/certificates',
    summary: 'Upload the signing certificate (P12/PFX, base64, and its PIN)',
    description:
      'Checked (PIN, validity, RUC of the tenant), the private key imported into KMS; the P12 and the PIN are discarded.',
    tags: ['certificates'],
    permission: 'settings:manage',
    body: z.object({ p12: z.base64().min(16).max(200_000), pin: z.string().min(1).max(200) }),
    idempotent: true,
    successStatus: 201,
    response: certificateResource,
    errors: [400, 401, 403, 413, 415, 422],
    example: {
      body: {
        p12: 'MIIKmQIBAzCCCl8GCSqGSIb3DQEHAaCCClAEggpMMIIKSDCCBP8GCSqGSIb3DQEHBqCCBPAwggTsAgEA',
        pin: '1234',
      },
      response: exampleCertificate,
    },
  }),
  listCertificates: defineOperation({
    operationId: 'listCertificates',
    method: 'get',
    path: '/v1/certificates',
    summary: 'List signing certificates',
    tags: ['certificates'],
    permission: 'settings:manage',
    successStatus: 200,
    response: z.array(certificateResource),
    errors: [401, 403],
    example: { response: [exampleCertificate] },
  }),
  deleteCertificate: defineOperation({
    operationId: 'deleteCertificate',
    method: 'delete',
    path: '/v1/certificates/{id}',
    summary: 'Remove the signing certificate',
    tags: ['certificates'],
    permission: 'settings:manage',
    params: z.object({ id: z.string().min(1).max(128) }),
    successStatus: 200,
    response: z.object({ deleted: z.literal(true) }),
    errors: [401, 403, 404],
    example: { params: { id: exampleCertificate.id }, response: { deleted: true } },
  }),
};

/** Platform API: tenant onboarding and suspension (SUPER_ADMIN, outside any tenant). */

const tenantResource = z.object({
  id: z.string(),
  ruc: z.string(),
  dv: z.string(),
  name: z.string(),
  tradeName: z.string().nullable(),
  status: z.enum(TENANT_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
  admin: z
    .object({ email: z.string(), name: z.string(), invited: z.boolean() })
    .nullable()
    .describe('The first ADMIN, invited by e-mail (Cognito) when the tenant was created'),
});
const tenantParams = z.object({ id: z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id') });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** The company the examples onboard: RUC 155704849-2-2021 (legal entity), DV 32 by the DGI algorithm. */
const exampleNewTenant = {
  ruc: '155704849-2-2021',
  dv: '32',
  rucType: '2',
  name: 'CAFE DEMO DEL ISTMO, S.A.',
  tradeName: 'Café del Istmo',
  address: 'Calle 53 Este, Edificio Plaza Obarrio, Local 2',
  locationCode: '8-8-7',
  phone: '264-5500',
  email: 'facturacion@cafedelistmo.com.pa',
  adminEmail: 'maria.gonzalez@cafedelistmo.com.pa',
  adminName: 'María González',
} satisfies z.input<typeof newTenantSchema>;
const exampleTenant = {
  id: 'cafe-demo-del-istmo-s-a-4k2p9x',
  ruc: exampleNewTenant.ruc,
  dv: exampleNewTenant.dv,
  name: exampleNewTenant.name,
  tradeName: exampleNewTenant.tradeName,
  status: 'active',
  createdAt: '2026-11-22T17:00:00.000Z',
  updatedAt: null,
  admin: { email: exampleNewTenant.adminEmail, name: exampleNewTenant.adminName, invited: true },
} satisfies z.input<typeof tenantResource>;

export const platformOperations = {
  createTenant: defineOperation({
    operationId: 'createTenant',
    method: 'post',
    path: '/v1/tenants',
    summary: 'Onboard a tenant (company) and invite its first ADMIN',
    description:
      'RUC and DV checked; the location against the DGI catalogue. Creates the profile, head office 0000 with point of sale 001, default settings and the ADMIN (Cognito e-mails a temporary password). A RUC already registered → 409 RUC_ALREADY_REGISTERED.',
    tags: ['tenants'],
    permission: 'tenants:manage',
    scope: 'platform',
    body: newTenantSchema,
    idempotent: true,
    successStatus: 201,
    response: tenantResource,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: exampleNewTenant, response: exampleTenant },
  }),
  listTenants: defineOperation({
    operationId: 'listTenants',
    method: 'get',
    path: '/v1/tenants',
    summary: 'List tenants',
    description: 'In id order; pass `nextCursor` as `cursor` for the next page.',
    tags: ['tenants'],
    permission: 'tenants:manage',
    scope: 'platform',
    query: pageQuery,
    successStatus: 200,
    response: z.object({ items: z.array(tenantResource), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403],
    example: { query: { limit: 25 }, response: { items: [exampleTenant], nextCursor: null } },
  }),
  getTenant: defineOperation({
    operationId: 'getTenant',
    method: 'get',
    path: '/v1/tenants/{id}',
    summary: 'Read a tenant (registry data only, never its documents)',
    tags: ['tenants'],
    permission: 'tenants:manage',
    scope: 'platform',
    params: tenantParams,
    successStatus: 200,
    response: tenantResource,
    errors: [401, 403, 404],
    example: { params: { id: exampleTenant.id }, response: exampleTenant },
  }),
  updateTenant: defineOperation({
    operationId: 'updateTenant',
    method: 'patch',
    path: '/v1/tenants/{id}',
    summary: 'Suspend or reactivate a tenant',
    description:
      'A suspended tenant’s users and API keys get 403 TENANT_SUSPENDED; documents already being issued finish.',
    tags: ['tenants'],
    permission: 'tenants:manage',
    scope: 'platform',
    params: tenantParams,
    body: z.object({ status: z.enum(TENANT_STATUSES) }),
    successStatus: 200,
    response: tenantResource,
    errors: [400, 401, 403, 404, 413, 415, 422],
    example: {
      params: { id: exampleTenant.id },
      body: { status: 'suspended' },
      response: { ...exampleTenant, status: 'suspended', updatedAt: '2026-12-01T14:30:00.000Z' },
    },
  }),
};

/** The tenant's people (ADMIN). */

const userResource = z.object({
  userId: z.string().describe('The Cognito user (sub)'),
  email: z.string(),
  name: z.string(),
  role: z.enum(TENANT_ROLES),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
});
const userParams = z.object({ id: z.string().min(1).max(128) });

/** A cashier the company's ADMIN invites. */
const exampleUser = {
  userId: '3f9c2b1e-7a4d-4e8b-9c21-5d6f0a8e7b43',
  email: 'carlos.rodriguez@cafedelistmo.com.pa',
  name: 'Carlos Rodríguez',
  role: 'USER',
  enabled: true,
  createdAt: '2026-11-23T13:15:00.000Z',
} satisfies z.input<typeof userResource>;
const exampleAdminUser = {
  userId: '8d2e4f60-1b3c-4a5d-8e7f-9a0b1c2d3e4f',
  email: exampleNewTenant.adminEmail,
  name: exampleNewTenant.adminName,
  role: 'ADMIN',
  enabled: true,
  createdAt: exampleTenant.createdAt,
} satisfies z.input<typeof userResource>;

export const userOperations = {
  inviteUser: defineOperation({
    operationId: 'inviteUser',
    method: 'post',
    path: '/v1/users',
    summary: 'Invite a person (Cognito e-mails a temporary password)',
    tags: ['users'],
    permission: 'users:manage',
    body: userInviteSchema,
    idempotent: true,
    successStatus: 201,
    response: userResource,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: {
      body: { email: exampleUser.email, name: exampleUser.name, role: exampleUser.role },
      response: exampleUser,
    },
  }),
  listUsers: defineOperation({
    operationId: 'listUsers',
    method: 'get',
    path: '/v1/users',
    summary: 'List the tenant’s users',
    tags: ['users'],
    permission: 'users:manage',
    query: pageQuery,
    successStatus: 200,
    response: z.object({ items: z.array(userResource), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403],
    example: { query: { limit: 25 }, response: { items: [exampleUser, exampleAdminUser], nextCursor: null } },
  }),
  getUser: defineOperation({
    operationId: 'getUser',
    method: 'get',
    path: '/v1/users/{id}',
    summary: 'Read a user',
    tags: ['users'],
    permission: 'users:manage',
    params: userParams,
    successStatus: 200,
    response: userResource,
    errors: [401, 403, 404],
    example: { params: { id: exampleUser.userId }, response: exampleUser },
  }),
  updateUser: defineOperation({
    operationId: 'updateUser',
    method: 'patch',
    path: '/v1/users/{id}',
    summary: 'Change a user’s role or enable/disable it',
    description:
      'Disabling or a role change signs the user out everywhere. The last enabled ADMIN cannot be demoted or disabled (409 LAST_ADMIN).',
    tags: ['users'],
    permission: 'users:manage',
    params: userParams,
    body: userChangeSchema,
    successStatus: 200,
    response: userResource,
    errors: [400, 401, 403, 404, 409, 413, 415, 422],
    example: {
      params: { id: exampleUser.userId },
      body: { role: 'OPERATOR' },
      response: { ...exampleUser, role: 'OPERATOR', updatedAt: '2026-12-01T14:30:00.000Z' },
    },
  }),
  deleteUser: defineOperation({
    operationId: 'deleteUser',
    method: 'delete',
    path: '/v1/users/{id}',
    summary: 'Delete a user',
    description: 'The last enabled ADMIN cannot be deleted (409 LAST_ADMIN).',
    tags: ['users'],
    permission: 'users:manage',
    params: userParams,
    successStatus: 200,
    response: z.object({ deleted: z.literal(true) }),
    errors: [401, 403, 404, 409],
    example: { params: { id: exampleUser.userId }, response: { deleted: true } },
  }),
};

/** The tenant's own profile (ADMIN writes; every role of the tenant may read it). */

const profileResource = z.object({
  ruc: z.string(),
  dv: z.string(),
  name: z.string(),
  tradeName: z.string().nullable(),
  address: z.string().nullable(),
  locationCode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  logo: z
    .object({
      url: z.string().describe('Presigned GET, valid ≤ 5 minutes'),
      contentType: z.string(),
      width: z.number(),
      height: z.number(),
      updatedAt: z.string(),
    })
    .nullable(),
});

/** The onboarded company's profile with its logo; a PUT that leaves `logo` out keeps it. */
const exampleProfileInput = {
  name: exampleNewTenant.name,
  tradeName: exampleNewTenant.tradeName,
  address: exampleNewTenant.address,
  locationCode: exampleNewTenant.locationCode,
  phone: exampleNewTenant.phone,
  email: exampleNewTenant.email,
} satisfies z.input<typeof profileInputSchema>;
const exampleProfile = {
  ruc: exampleNewTenant.ruc,
  dv: exampleNewTenant.dv,
  ...exampleProfileInput,
  logo: {
    url: `https://factu-documents.s3.us-east-1.amazonaws.com/tenants/${exampleTenant.id}/profile/logo-9b2e8f6315c0d7e2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=3c1f9a7e5d2b8c4f6a0e1d3b5c7f9a2e4d6b8c0f1a3e5d7b9c2f4a6e8d0b1c3f`,
    contentType: 'image/png',
    width: 320,
    height: 120,
    updatedAt: '2026-11-22T17:05:00.000Z',
  },
} satisfies z.input<typeof profileResource>;

export const profileOperations = {
  getProfile: defineOperation({
    operationId: 'getProfile',
    method: 'get',
    path: '/v1/profile',
    summary: 'The company profile (and a download URL of its logo)',
    tags: ['profile'],
    permission: 'documents:read',
    successStatus: 200,
    response: profileResource,
    errors: [401, 403, 409],
    example: { response: exampleProfile },
  }),
  putProfile: defineOperation({
    operationId: 'putProfile',
    method: 'put',
    path: '/v1/profile',
    summary: 'Replace the company profile; the logo is printed on the CAFEs we render',
    description:
      'The address and location also become the head office’s (branch 0000). `logo`: base64 PNG/JPEG ≤ 200 KB, 32–1024 px a side; `null` removes it, leaving it out keeps it.',
    tags: ['profile'],
    permission: 'settings:manage',
    body: profileInputSchema,
    successStatus: 200,
    response: profileResource,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: exampleProfileInput, response: exampleProfile },
  }),
};
