import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { type AuditSource, auditPut } from '#shared/audit/entries';
import { config } from '#shared/config/config';
import { tenantsRepository } from '#shared/data/tenants';
import { tracer } from '#shared/observability/tracer';
import { scopedClient } from './tenant-clients.ts';

let own: KMSClient | undefined;

/**
 * The KMS client of the current tenant scope (HKA credentials, tenant signing keys; see tenant-scope.ts);
 * tenant clients reuse the function's own client's HTTP handler. Default configuration so
 * `AWS_ENDPOINT_URL_KMS` (local KMS stand-in) applies.
 */
export function kmsClient(): KMSClient {
  return scopedClient('kms', (credentials) => {
    own ??= tracer.captureAWSv3Client(new KMSClient({}));
    return credentials
      ? tracer.captureAWSv3Client(new KMSClient({ credentials, requestHandler: own.config.requestHandler }))
      : own;
  });
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

/**
 * Encrypts and stores the tenant's HKA token pair; the plaintext is never stored, returned or logged. With
 * `audit` (who acts) the audit entry — the environment only — is written in the same transaction.
 */
export async function saveHkaCredentials(
  tenantId: string,
  input: HkaCredentialsInput,
  audit?: AuditSource,
  now: Date = new Date(),
): Promise<void> {
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
  const entry = audit
    ? auditPut(
        audit,
        tenantId,
        {
          action: 'hka-credentials.set',
          target: { type: 'hka-credentials', id: input.environment },
          changes: { environment: { to: input.environment } },
        },
        now,
      )
    : undefined;
  await tenantsRepository.putHkaCredentials(
    tenantId,
    {
      environment: input.environment,
      ciphertext: Buffer.from(out.CiphertextBlob).toString('base64'),
      updatedAt: now.toISOString(),
    },
    entry ? [entry] : [],
  );
}

type TokenPair = { tokenEmpresa: string; tokenPassword: string };

/**
 * Decrypted pairs, kept in this process's memory only and briefly: each issuing step calls HKA with them,
 * and a KMS Decrypt per call is billed and adds latency. Keyed by the ciphertext, so stored new credentials
 * take effect at once; bounded so a container serving many tenants keeps only the recent ones.
 */
const decrypted = new Map<string, { pair: TokenPair; expiresAt: number }>();
const DECRYPTED_TTL_MS = 5 * 60_000;
const DECRYPTED_MAX = 100;

/**
 * Decrypts the tenant's HKA token pair of one environment; callers keep it in memory only. Returns exactly
 * the pair (nothing else travels to the HKA client).
 */
export async function loadHkaCredentials(
  tenantId: string,
  environment: 'demo' | 'prod',
  now: number = Date.now(),
): Promise<TokenPair> {
  const item = await tenantsRepository.getHkaCredentials(tenantId, environment);
  if (!item) throw new HkaCredentialsMissingError(`tenant ${tenantId} has no ${environment} HKA credentials`);
  const cacheKey = `${tenantId}\n${item.ciphertext}`;
  const cached = decrypted.get(cacheKey);
  if (cached && cached.expiresAt > now) return { ...cached.pair };
  const pair = await decryptPair(tenantId, item.ciphertext);
  decrypted.delete(cacheKey);
  decrypted.set(cacheKey, { pair, expiresAt: now + DECRYPTED_TTL_MS });
  // A Map iterates in insertion order: the first key is the least recently decrypted.
  if (decrypted.size > DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
  return { ...pair };
}

async function decryptPair(tenantId: string, ciphertext: string): Promise<TokenPair> {
  const out = await kmsClient().send(
    new DecryptCommand({
      CiphertextBlob: Buffer.from(ciphertext, 'base64'),
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
