/**
 * What the cost bench prepares through the API and reads back before pricing: the demo tenants' sessions,
 * the emitter-signed channel (a test certificate uploaded, the channel switched), each tenant's own items
 * in the table, and the spec of each KMS key a Sign used.
 */
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { LocalStack } from '#local/cloud';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { login } from '../pipeline/client';
import { type Item, storageBytes } from './dynamodb-capacity';
import type { ScenarioContext, TenantContext } from './scenarios';
import type { CostTemplate } from './template-model';
import type { Usage } from './usage';

/** The first demo tenant (its USER) and the second (its USER, and its ADMIN's token). */
export async function tenants(stack: LocalStack): Promise<[TenantContext, TenantContext, string]> {
  const [first, second] = stack.demo.tenants;
  if (!first || !second) throw new Error('the local cloud seeded fewer than two demo tenants');
  const userOf = (tenant: typeof first, role: string) => {
    const user = tenant.users.find((candidate) => candidate.role === role);
    if (!user) throw new Error(`demo tenant ${tenant.tenantId} has no ${role}`);
    return user;
  };
  const context = async (tenant: typeof first): Promise<TenantContext> => {
    const user = userOf(tenant, 'USER');
    return {
      tenantId: tenant.tenantId,
      ruc: tenant.ruc,
      tokenEmpresa: tenant.hka.tokenEmpresa,
      userToken: await login(stack, user.email, user.password),
    };
  };
  const admin = userOf(second, 'ADMIN');
  return [await context(first), await context(second), await login(stack, admin.email, admin.password)];
}

/** What switching a tenant to emitter-signed took. */
export type EmitterSetup = { usage: Usage; certificateStatus: number; channelStatus: number };

/** Uploads a test certificate for the tenant's RUC and switches its channel, through the API. */
export async function switchToEmitterSigned(
  context: ScenarioContext,
  adminToken: string,
  tenant: TenantContext,
): Promise<EmitterSetup> {
  const { metered, driver } = context;
  const demo = metered.cloud.stack.demo.tenants.find((candidate) => candidate.tenantId === tenant.tenantId)!;
  const certificate = generateTestCertificate({ ruc: demo.ruc, dv: demo.dv, name: demo.name });
  const pin = 'Bench-Pin-2026';
  await driver.quiet(500, 10_000);
  metered.recorder.reset();
  const upload = await driver.api(adminToken, 'POST', '/v1/certificates', {
    p12: certificate.toP12(pin).toString('base64'),
    pin,
  });
  if (upload.status !== 201)
    throw new Error(`certificate upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  const channel = await driver.api(adminToken, 'PUT', '/v1/settings/issuing', { channel: 'emitter-signed' });
  if (channel.status !== 200)
    throw new Error(`channel switch: ${channel.status} ${JSON.stringify(channel.body)}`);
  await driver.quiet(500, 10_000);
  return {
    usage: metered.recorder.snapshot(),
    certificateStatus: upload.status,
    channelStatus: channel.status,
  };
}

/**
 * A tenant's own items before it issues anything (profile, settings, credentials, signing key, folios,
 * branches, points of sale, number counters, its registry entry), with their index entries; the mean over
 * the demo tenants.
 */
export function tenantStorageBytes(items: Item[], stack: LocalStack, template: CostTemplate): number {
  const table = template.tables[0];
  if (!table || stack.demo.tenants.length === 0) return 0;
  const perTenant = stack.demo.tenants.map(({ tenantId }) => {
    const own = items.filter((item) => {
      const pk = String(item.pk?.S ?? '');
      const sk = String(item.sk?.S ?? '');
      return (
        pk === `T#${tenantId}` ||
        (pk.startsWith(`T#${tenantId}#SERIES#`) && sk === 'COUNTER') ||
        (pk === 'T#_platform' && sk === `TENANT#${tenantId}`)
      );
    });
    const bytes = storageBytes(own, table);
    return bytes.table + bytes.indexes;
  });
  return perTenant.reduce((sum, bytes) => sum + bytes, 0) / perTenant.length;
}

/** The spec of every KMS key a Sign used (the price of an asymmetric request depends on it). */
export async function keySpecsOf(stack: LocalStack, usages: Usage[]): Promise<Record<string, string>> {
  const keyIds = new Set(
    usages.flatMap((usage) => Object.values(usage.functions).flatMap((fn) => Object.keys(fn.kmsSignsByKey))),
  );
  const kms = new KMSClient({
    region: stack.cognito.region,
    endpoint: stack.endpoints.kms,
    credentials: { ...stack.credentials },
  });
  try {
    const specs: Record<string, string> = {};
    for (const keyId of keyIds) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      specs[keyId] = out.KeyMetadata?.KeySpec ?? 'unknown';
    }
    return specs;
  } finally {
    kms.destroy();
  }
}
