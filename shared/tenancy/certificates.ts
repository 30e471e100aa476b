import { ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { auditPut } from '#shared/audit/entries';
import { type SigningKeyRecord, tenantsRepository } from '#shared/data/tenants';
import { NotFoundError, ValidationError } from '#shared/errors';
import type { ErrorCodeOf } from '#shared/http/error-codes';
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

/**
 * Certificate problems the signing core reports, each on the field the user must fix. A wrong PIN and the
 * certificate's own problems keep their codes; a file that cannot be read at all is CERTIFICATE_INVALID.
 */
const CERTIFICATE_ERRORS: ReadonlyMap<string, { path: string; code: ErrorCodeOf<'invalid'> }> = new Map([
  ['CertificatePinError', { path: 'pin', code: 'CERTIFICATE_PIN_INVALID' }],
  ['CertificateExpiredError', { path: 'p12', code: 'CERTIFICATE_EXPIRED' }],
  ['CertificateNotYetValidError', { path: 'p12', code: 'CERTIFICATE_NOT_YET_VALID' }],
  ['CertificateRucMismatchError', { path: 'p12', code: 'CERTIFICATE_RUC_MISMATCH' }],
  ['UnsupportedKeyTypeError', { path: 'p12', code: 'CERTIFICATE_KEY_UNSUPPORTED' }],
  ['CertificateFormatError', { path: 'p12', code: 'CERTIFICATE_INVALID' }],
  ['SigningKeyMismatchError', { path: 'p12', code: 'CERTIFICATE_KEY_MISMATCH' }],
]);

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
    const known = CERTIFICATE_ERRORS.get((error as Error).name);
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
    ctx,
  );
  return (await listCertificates(ctx))[0]!;
}

export async function listCertificates(ctx: TenantContext): Promise<CertificateResource[]> {
  const record = await tenantsRepository.getSigningKey(ctx.tenantId);
  return record ? [certificateOf(record)] : [];
}

function certificateOf(record: SigningKeyRecord): CertificateResource {
  return {
    id: record.fingerprintSha256 ?? 'current',
    subject: record.subject ?? null,
    notBefore: record.notBefore ?? null,
    notAfter: record.notAfter ?? null,
    fingerprintSha256: record.fingerprintSha256 ?? null,
    createdAt: record.createdAt,
  };
}

/**
 * Days a deleted certificate's KMS key stays in PendingDeletion (recoverable with CancelKeyDeletion) before KMS
 * destroys it: the longest window KMS allows. The private key was imported and the P12 discarded, so this window
 * is the only way back from a mistaken or malicious deletion; a key pending deletion costs nothing.
 * infra/constructs/grants.ts allows ScheduleKeyDeletion with no shorter window.
 */
export const SIGNING_KEY_DELETION_WINDOW_DAYS = 30;

/**
 * Removes the tenant's signing certificate: its KMS key is scheduled for deletion (unusable at once, destroyed
 * after SIGNING_KEY_DELETION_WINDOW_DAYS), then the record is forgotten, so emitter-signed issuing stops until a
 * new certificate is uploaded. The key goes first: a retry after a failure in between finds the record again
 * and completes, where the other order could leave a live key nobody knows about.
 */
export async function deleteCertificate(
  ctx: TenantContext,
  id: string,
  now: Date = new Date(),
): Promise<void> {
  const record = await tenantsRepository.getSigningKey(ctx.tenantId);
  if (!record || certificateOf(record).id !== id)
    throw new NotFoundError('Certificate not found', 'CERTIFICATE_NOT_FOUND');
  await scheduleSigningKeyDeletion(record.kmsKeyId);
  const entry = auditPut(
    ctx,
    ctx.tenantId,
    {
      action: 'certificate.deleted',
      target: { type: 'certificate', id },
      changes: {
        subject: { from: record.subject },
        fingerprintSha256: { from: record.fingerprintSha256 },
        notAfter: { from: record.notAfter },
      },
    },
    now,
  );
  await tenantsRepository.deleteSigningKey(ctx.tenantId, [entry]);
}

async function scheduleSigningKeyDeletion(kmsKeyId: string): Promise<void> {
  try {
    await kmsClient().send(
      new ScheduleKeyDeletionCommand({
        KeyId: kmsKeyId,
        PendingWindowInDays: SIGNING_KEY_DELETION_WINDOW_DAYS,
      }),
    );
  } catch (error) {
    // Already pending deletion (an earlier attempt got this far) or already gone: the goal is reached.
    const name = (error as Error).name;
    if (name !== 'KMSInvalidStateException' && name !== 'NotFoundException') throw error;
  }
}
