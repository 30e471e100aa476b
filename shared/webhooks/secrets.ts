import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { now } from '#shared/clock';
import { config } from '#shared/config/config';
import { kmsClient } from '#shared/tenancy/credentials';

/**
 * Endpoint secrets are encrypted with the data key. The tenant and the endpoint are the encryption context:
 * a ciphertext copied onto another endpoint or tenant does not decrypt, and the tenant's IAM session can only
 * use the key for its own tenant's context.
 */
const contextOf = (tenantId: string, webhookId: string) => ({ tenantId, webhookId });

export async function encryptWebhookSecret(
  tenantId: string,
  webhookId: string,
  secret: string,
): Promise<string> {
  const out = await kmsClient().send(
    new EncryptCommand({
      KeyId: config().dataKeyId,
      Plaintext: Buffer.from(secret, 'utf8'),
      EncryptionContext: contextOf(tenantId, webhookId),
    }),
  );
  if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
  return Buffer.from(out.CiphertextBlob).toString('base64');
}

/**
 * Decrypted secrets stay in this container's memory briefly: every delivery signs with one, and a KMS call
 * per delivery is billed and slow. Keyed by the ciphertext; bounded.
 */
const decrypted = new Map<string, { secret: string; expiresAt: number }>();
const DECRYPTED_TTL_MS = 5 * 60_000;
const DECRYPTED_MAX = 200;

export async function decryptWebhookSecret(
  tenantId: string,
  webhookId: string,
  ciphertext: string,
): Promise<string> {
  const cacheKey = `${tenantId}\n${webhookId}\n${ciphertext}`;
  const cached = decrypted.get(cacheKey);
  if (cached && cached.expiresAt > now().getTime()) return cached.secret;
  const out = await kmsClient().send(
    new DecryptCommand({
      CiphertextBlob: Buffer.from(ciphertext, 'base64'),
      KeyId: config().dataKeyId,
      EncryptionContext: contextOf(tenantId, webhookId),
    }),
  );
  if (!out.Plaintext) throw new Error('KMS returned no plaintext');
  const secret = Buffer.from(out.Plaintext).toString('utf8');
  decrypted.delete(cacheKey);
  decrypted.set(cacheKey, { secret, expiresAt: now().getTime() + DECRYPTED_TTL_MS });
  if (decrypted.size > DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
  return secret;
}
