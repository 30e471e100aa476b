import { tenantsRepository } from '#shared/data/tenants';
import { NotFoundError, ValidationError } from '#shared/http/errors';
import { importPrivateKeyIntoKms } from '#shared/signing/kms-import';
import { loadP12 } from '#shared/signing/p12';
import type { TenantContext } from './context.ts';
import { kmsClient } from './credentials.ts';
import { saveSigningKey } from './provisioning.ts';

export type CertificateResource = {
  id: string;
  subject: string | null;
  notBefore: string | null;
  notAfter: string | null;
  fingerprintSha256: string | null;
  createdAt: string;
};

/** Certificate problems the fiscal/signing core reports, each on the field the user must fix. */
const CERTIFICATE_ERRORS: Record<string, { path: string; code: string }> = {
  CertificatePinError: { path: 'pin', code: 'CERTIFICATE_PIN_INVALID' },
  CertificateExpiredError: { path: 'p12', code: 'CERTIFICATE_EXPIRED' },
  CertificateNotYetValidError: { path: 'p12', code: 'CERTIFICATE_NOT_YET_VALID' },
  CertificateRucMismatchError: { path: 'p12', code: 'CERTIFICATE_RUC_MISMATCH' },
  UnsupportedKeyTypeError: { path: 'p12', code: 'CERTIFICATE_KEY_UNSUPPORTED' },
  CertificateFormatError: { path: 'p12', code: 'CERTIFICATE_FORMAT_INVALID' },
  SigningKeyMismatchError: { path: 'p12', code: 'CERTIFICATE_KEY_MISMATCH' },
};

/**
 * Checks the tenant's P12 (PIN, validity, RUC), imports the private key into KMS and keeps only the
 * certificate and the KMS key id. The P12 and the PIN live only in this call's memory.
 */
export async function uploadCertificate(
  ctx: TenantContext,
  input: { p12: string; pin: string },
  now: Date = new Date(),
): Promise<CertificateResource> {
  const profile = await tenantsRepository.getProfile(ctx.tenantId);
  if (!profile) throw new NotFoundError('Tenant profile not found', 'TENANT_NOT_CONFIGURED');
  let loaded: ReturnType<typeof loadP12>;
  try {
    loaded = loadP12(Buffer.from(input.p12, 'base64'), input.pin, { expectedRuc: profile.ruc, now });
  } catch (error) {
    const known = CERTIFICATE_ERRORS[(error as Error).name];
    if (known)
      throw new ValidationError(
        [{ path: known.path, message: (error as Error).message }],
        'The certificate cannot be used',
        known.code,
      );
    throw error;
  }
  const { keyId } = await importPrivateKeyIntoKms(kmsClient(), loaded.privateKeyPem, {
    tenantId: ctx.tenantId,
    description: `factu signing key of ${ctx.tenantId} (${loaded.fingerprintSha256.slice(0, 16)})`,
  });
  await saveSigningKey(
    ctx.tenantId,
    {
      kmsKeyId: keyId,
      certificatePem: loaded.certificatePem,
      subject: loaded.subject,
      notBefore: loaded.notBefore.toISOString(),
      notAfter: loaded.notAfter.toISOString(),
      fingerprintSha256: loaded.fingerprintSha256,
    },
    now,
  );
  return (await listCertificates(ctx))[0]!;
}

export async function listCertificates(ctx: TenantContext): Promise<CertificateResource[]> {
  const record = await tenantsRepository.getSigningKey(ctx.tenantId);
  if (!record) return [];
  return [
    {
      id: record.fingerprintSha256 ?? 'current',
      subject: record.subject ?? null,
      notBefore: record.notBefore ?? null,
      notAfter: record.notAfter ?? null,
      fingerprintSha256: record.fingerprintSha256 ?? null,
      createdAt: record.createdAt,
    },
  ];
}

/**
 * Forgets the tenant's signing key: emitter-signed issuing stops until a new certificate is uploaded.
 * The KMS key itself is left for the platform's key-retirement process (scheduling deletion is
 * irreversible after the waiting period and is not a tenant-level action).
 */
export async function deleteCertificate(ctx: TenantContext, id: string): Promise<void> {
  const current = (await listCertificates(ctx))[0];
  if (!current || current.id !== id)
    throw new NotFoundError('Certificate not found', 'CERTIFICATE_NOT_FOUND');
  await tenantsRepository.deleteSigningKey(ctx.tenantId);
}
