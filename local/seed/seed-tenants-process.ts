// Runs as a child process with a function's environment (TABLE_NAME, DATA_KEY_ID, USER_POOL_ID,
// AWS_ENDPOINT_URL_*), so the application's own provisioning code writes the demo tenants exactly as the
// product would: the tenant (profile, branch 0000 / point of sale 001, settings, registry entry, RUC
// registration), KMS-encrypted HKA credentials, a test certificate whose key is imported into KMS, and the
// USER# item of each demo user through the invitation path (which adopts the Cognito user already created).
// A separate process (not the local cloud's) because that code reads process.env and caches clients.
// Each tenant also gets one `test` API key per role an API key may hold (USER, OPERATOR), created through the
// API-key service like POST /v1/api-keys.
// Input: JSON on stdin ({ tenants: SeedTenant[] }); output: JSON written to the file named by argv[2]
// ({ tenants: [{ tenantId, kmsKeyId, apiKeys }] }) — not stdout, which application loggers share.
import { writeFileSync } from 'node:fs';
import { KMSClient } from '@aws-sdk/client-kms';
import { importPrivateKeyIntoKms } from '#shared/signing/kms-import';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { createApiKey } from '#shared/tenancy/api-keys';
import { API_KEY_ROLES } from '#shared/tenancy/api-keys-api';
import type { TenantContext } from '#shared/tenancy/context';
import { createTenant, saveHkaCredentials, saveSigningKey } from '#shared/tenancy/provisioning';
import { inviteUser } from '#shared/tenancy/users';

type SeedTenant = {
  tenantId: string;
  ruc: string;
  dv: string;
  name: string;
  tradeName: string;
  address: string;
  location: { code: string; province: string; district: string; corregimiento: string };
  phones: string[];
  emails: string[];
  hka: { tokenEmpresa: string; tokenPassword: string };
  users: Array<{ email: string; name: string; role: 'ADMIN' | 'USER' | 'OPERATOR' }>;
};

const SEEDER: TenantContext['actor'] = { type: 'user', id: 'local-seed', email: undefined };

async function main() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { tenants } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tenants: SeedTenant[] };
  const kms = new KMSClient({});
  const results: Array<{
    tenantId: string;
    kmsKeyId: string;
    apiKeys: Array<{ role: string; secret: string }>;
  }> = [];
  for (const tenant of tenants) {
    await createTenant({
      tenantId: tenant.tenantId,
      ruc: tenant.ruc,
      dv: tenant.dv,
      rucType: '2',
      name: tenant.name,
      tradeName: tenant.tradeName,
      emails: tenant.emails,
      phones: tenant.phones,
      address: tenant.address,
      location: tenant.location,
    });
    const ctx: TenantContext = { tenantId: tenant.tenantId, actor: SEEDER, roles: ['ADMIN'] };
    for (const user of tenant.users) {
      await inviteUser(ctx, user).catch((error: unknown) => {
        // Seeded before (a seed interrupted after this step): the user is there.
        if ((error as { code?: string }).code !== 'USER_EXISTS') throw error;
      });
    }
    await saveHkaCredentials(tenant.tenantId, { environment: 'demo', ...tenant.hka });
    const certificate = generateTestCertificate({ ruc: tenant.ruc, dv: tenant.dv, name: tenant.name });
    const { keyId } = await importPrivateKeyIntoKms(kms, certificate.privateKeyPem, {
      tenantId: tenant.tenantId,
      description: `factu local demo signing key for ${tenant.tenantId}`,
    });
    await saveSigningKey(tenant.tenantId, { kmsKeyId: keyId, certificatePem: certificate.certificatePem });
    const apiKeys = [];
    for (const role of API_KEY_ROLES) {
      const created = await createApiKey(
        {
          tenantId: tenant.tenantId,
          actor: { type: 'user', id: 'local-seed', email: undefined },
          roles: ['ADMIN'],
        },
        { name: `Demo ${role.toLowerCase()} key`, role, environment: 'test' },
      );
      apiKeys.push({ role, secret: created.secret });
    }
    results.push({ tenantId: tenant.tenantId, kmsKeyId: keyId, apiKeys });
  }
  writeFileSync(String(process.argv[2]), JSON.stringify({ tenants: results }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
