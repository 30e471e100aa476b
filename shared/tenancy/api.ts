import * as z from 'zod';
import { defineOperation } from '#shared/http/operation';
import {
  type BranchInput,
  branchInputSchema,
  issuingSettingsInputSchema,
  pointOfSaleInputSchema,
} from './provisioning.ts';

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
    summary: 'Change issuing settings (channel, environment, low-folio threshold, defaults)',
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
