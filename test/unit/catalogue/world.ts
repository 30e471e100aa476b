import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { TenantContext } from '#shared/tenancy/context';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

/** The catalogue's world for unit tests: the table in memory and the cursor secret. */
setTestEnv();
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ cursorSecret: 'c'.repeat(48) }) });
export const ddb = mockClient(DynamoDBDocumentClient);
export const table = new FakeTable();

export function resetWorld(): void {
  ddb.reset();
  table.clear();
  table.install(ddb);
}

export const NOW = new Date('2026-12-06T12:00:00Z');

export const user: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'user-1', email: 'user@tenant-a.test' },
  roles: ['USER'],
  origin: { requestId: 'r1', sourceIp: '10.0.0.1' },
};

export const otherTenant: TenantContext = { ...user, tenantId: 'tenant-b' };

/** The receiver of examples/documents/invoice-taxpayer.json. */
export const taxpayer = () => ({
  type: 'taxpayer' as const,
  rucType: '2' as const,
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'Distribuidora Peña, S.A.',
  address: 'Vía España, Edificio Ejemplo, local 3',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  emails: ['compras@ejemplo.com.pa'],
  country: 'PA',
});

export const product = (overrides: Record<string, unknown> = {}) => ({
  code: 'SOP-001',
  description: 'Servicio de soporte técnico mensual',
  unit: 'und',
  unitPrice: '250',
  itbmsRate: '01' as const,
  ...overrides,
});
