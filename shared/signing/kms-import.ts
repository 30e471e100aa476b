import { createPrivateKey } from 'node:crypto';
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type KeySpec,
  type KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { UnsupportedKeyTypeError } from './errors.ts';
import { assertSupportedSigningKey } from './key-policy.ts';
import { wrapKeyMaterialRsaAes } from './kms-key-wrap.ts';

export type ImportKeyOptions = { tenantId: string; description: string };

const KEY_SPEC_BY_BITS: Record<number, KeySpec> = { 2048: 'RSA_2048', 3072: 'RSA_3072', 4096: 'RSA_4096' };

/**
 * Moves a tenant's signing key into KMS so that signing never needs the key again (KmsSigner): an
 * asymmetric SIGN_VERIFY key with `Origin: EXTERNAL`, whose material we wrap for the one-time import.
 *
 * - KeySpec follows the key size (RSA_2048 for the usual qualified certificates, also 3072/4096);
 *   KMS rejects material that does not match the spec.
 * - Wrapping is `RSA_AES_KEY_WRAP_SHA_256` with an RSA_4096 wrapping key (see kms-key-wrap.ts for why
 *   plain RSAES_OAEP cannot carry an RSA private key).
 * - The material never expires: the key's useful life is bounded by the certificate, which is checked
 *   at load time (p12.ts) and tracked by the tenant's certificate record.
 * - If any step after CreateKey fails, the half-created key is scheduled for deletion (7 days, the
 *   minimum) so no orphan keys accumulate; the original error is rethrown.
 */
export async function importPrivateKeyIntoKms(
  kms: KMSClient,
  privateKeyPem: string,
  options: ImportKeyOptions,
): Promise<{ keyId: string }> {
  const privateKey = createPrivateKey(privateKeyPem);
  assertSupportedSigningKey(privateKey);
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  const keySpec = KEY_SPEC_BY_BITS[bits];
  if (!keySpec) throw new UnsupportedKeyTypeError(`KMS cannot import an RSA ${bits} key`);
  const material = privateKey.export({ type: 'pkcs8', format: 'der' });

  const created = await kms.send(
    new CreateKeyCommand({
      KeySpec: keySpec,
      KeyUsage: 'SIGN_VERIFY',
      Origin: 'EXTERNAL',
      Description: options.description,
      Tags: [
        { TagKey: 'tenantId', TagValue: options.tenantId },
        { TagKey: 'purpose', TagValue: 'rfe-signing' },
      ],
    }),
  );
  const keyId = created.KeyMetadata?.KeyId;
  if (!keyId) throw new Error('KMS CreateKey returned no KeyId');

  try {
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: keyId,
        WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
        WrappingKeySpec: 'RSA_4096',
      }),
    );
    if (!parameters.PublicKey || !parameters.ImportToken) {
      throw new Error('KMS GetParametersForImport returned no wrapping key or import token');
    }
    await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: keyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: wrapKeyMaterialRsaAes(material, parameters.PublicKey),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
  } catch (error) {
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })).catch(() => {
      // Best effort: the import error is what the caller needs; the key stays PendingImport (unusable).
    });
    throw error;
  } finally {
    material.fill(0);
  }
  return { keyId };
}
