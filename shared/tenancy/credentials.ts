import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { config } from '#shared/config/config';
import { tenantsRepository } from '#shared/data/tenants';
import { tracer } from '#shared/observability/tracer';

let kms: KMSClient | undefined;

/** Default configuration so `AWS_ENDPOINT_URL_KMS` (local KMS stand-in) applies. */
export function kmsClient(): KMSClient {
  kms ??= tracer.captureAWSv3Client(new KMSClient({}));
  return kms;
}

export type HkaCredentialsInput = {
  environment: 'demo' | 'prod';
  tokenEmpresa: string;
  tokenPassword: string;
};

/** The tenant has not stored HKA credentials yet (a configuration problem, not a transient one). */
export class HkaCredentialsMissingError extends Error {
  override readonly name = 'HkaCredentialsMissingError';
}

/**
 * The tenant id is the KMS encryption context: a ciphertext copied into another tenant's item cannot be
 * decrypted there, and CloudTrail records which tenant's secret was used.
 */
const encryptionContext = (tenantId: string) => ({ tenantId });

/** Encrypts and stores the tenant's HKA token pair; the plaintext is never stored, returned or logged. */
export async function saveHkaCredentials(tenantId: string, input: HkaCredentialsInput): Promise<void> {
  const plaintext = Buffer.from(
    JSON.stringify({ tokenEmpresa: input.tokenEmpresa, tokenPassword: input.tokenPassword }),
  );
  const out = await kmsClient().send(
    new EncryptCommand({
      KeyId: config().dataKeyId,
      Plaintext: plaintext,
      EncryptionContext: encryptionContext(tenantId),
    }),
  );
  if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
  await tenantsRepository.putHkaCredentials(tenantId, {
    environment: input.environment,
    ciphertext: Buffer.from(out.CiphertextBlob).toString('base64'),
    updatedAt: new Date().toISOString(),
  });
}

/**
 * Decrypts the tenant's HKA token pair of one environment for one call; callers keep it in memory only.
 * Returns exactly the pair (nothing else travels to the HKA client).
 */
export async function loadHkaCredentials(
  tenantId: string,
  environment: 'demo' | 'prod',
): Promise<{ tokenEmpresa: string; tokenPassword: string }> {
  const item = await tenantsRepository.getHkaCredentials(tenantId, environment);
  if (!item) throw new HkaCredentialsMissingError(`tenant ${tenantId} has no ${environment} HKA credentials`);
  const out = await kmsClient().send(
    new DecryptCommand({
      CiphertextBlob: Buffer.from(item.ciphertext, 'base64'),
      EncryptionContext: encryptionContext(tenantId),
    }),
  );
  if (!out.Plaintext) throw new Error('KMS returned no plaintext');
  const parsed = JSON.parse(Buffer.from(out.Plaintext).toString('utf8')) as {
    tokenEmpresa: string;
    tokenPassword: string;
  };
  return { tokenEmpresa: parsed.tokenEmpresa, tokenPassword: parsed.tokenPassword };
}

/** Whether credentials exist, without decrypting them (issuing checks this before accepting a document). */
export async function hasHkaCredentials(tenantId: string, environment: 'demo' | 'prod'): Promise<boolean> {
  return (await tenantsRepository.getHkaCredentials(tenantId, environment)) !== undefined;
}
