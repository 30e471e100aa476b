import { readFileSync } from 'node:fs';
import type { DocumentRecord } from '#shared/data/documents';
import { TENANT } from './helpers.ts';

export const exampleInvoice = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL('../../../examples/documents/invoice-final-consumer.json', import.meta.url), 'utf8'),
  );

export const tenantProfile = {
  pk: `T#${TENANT}`,
  sk: 'PROFILE',
  tenantId: TENANT,
  ruc: '155596713-2-2015',
  dv: '59',
  rucType: '2',
  name: 'ACME PANAMA, S.A.',
  createdAt: '2026-01-01T00:00:00.000Z',
};

export const branch = {
  pk: `T#${TENANT}`,
  sk: 'BRANCH#0000',
  tenantId: TENANT,
  code: '0000',
  name: 'Casa matriz',
  address: 'Calle 50, Ciudad de Panamá',
  coordinates: '+8.9833,-79.5167',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['507-0000'],
  createdAt: '2026-01-01T00:00:00.000Z',
};

export const pointOfSale = {
  pk: `T#${TENANT}`,
  sk: 'BRANCH#0000#POS#001',
  tenantId: TENANT,
  branchCode: '0000',
  code: '001',
  createdAt: '2026-01-01T00:00:00.000Z',
};

export const hkaCredentialsItem = {
  pk: `T#${TENANT}`,
  sk: 'HKA_CREDENTIALS#demo',
  environment: 'demo',
  ciphertext: Buffer.from('ciphertext').toString('base64'),
  updatedAt: '2026-01-01T00:00:00.000Z',
};

export function documentRecord(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    tenantId: TENANT,
    documentId: '01KAQ0000000000000000000AB',
    type: 'invoice',
    typeCode: '01',
    emissionType: '01',
    status: 'PROCESSING',
    branch: '0000',
    pointOfSale: '001',
    number: '0000000001',
    issuedAt: '2026-11-22T07:00:00-05:00',
    createdBy: 'user-1',
    channel: 'hka-integration',
    environment: 'demo',
    securityCode: '123456789',
    issuer: {
      ruc: tenantProfile.ruc,
      dv: tenantProfile.dv,
      rucType: '2',
      name: tenantProfile.name,
      branchCode: '0000',
      address: branch.address,
      coordinates: branch.coordinates,
      location: branch.location,
      phones: branch.phones,
    },
    receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
    totals: {
      net: '4.40',
      itbms: '0.25',
      taxes: '0.25',
      total: '4.65',
      received: '10.00',
      change: '5.35',
      itemCount: 2,
    },
    computedKey: `tenants/${TENANT}/documents/01KAQ0000000000000000000AB/computed.json`,
    // Accepted at 12:00:00 with its first attempt claimed (start grace: 90 s).
    attempt: 1,
    leaseUntil: '2026-11-22T12:01:30.000Z',
    updatedAt: '2026-11-22T12:00:00.000Z',
    ...overrides,
  };
}

/** The tenant folio pool and a user's assignment, as the folios repository stores them. */
export const folioPool = (poolAvailable: number) => ({
  pk: `T#${TENANT}`,
  sk: 'FOLIOS',
  tenantId: TENANT,
  poolAvailable,
});

export const folioAssignment = (userId: string, remaining: number) => ({
  pk: `T#${TENANT}`,
  sk: `FOLIO_ASSIGNMENT#${userId}`,
  tenantId: TENANT,
  userId,
  assigned: 10,
  remaining,
});
