import { randomUUID } from 'node:crypto';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { localStack, type Session, session } from './helpers/local-cloud.ts';

/**
 * DELETE /v1/certificates/{id} retires the tenant's KMS signing key: it ends PendingDeletion with the 30-day
 * window (recoverable by the platform until then), and only then is the record forgotten. Runs on the second
 * demo tenant and leaves a certificate on file, as seeded.
 */

const TENANT = 1;
const PIN = 'Pin-Secreto-2026';
const DAY_MS = 86_400_000;

describe('certificate deletion schedules the KMS key’s deletion', () => {
  let admin: Session;
  let kms: KMSClient;

  const upload = async () => {
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const response = await admin.call('POST', '/v1/certificates', {
      body: { p12: generateTestCertificate({ ruc, dv, name }).toP12(PIN).toString('base64'), pin: PIN },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(response.status, response.text).toBe(201);
    return response.body.data as { id: string; fingerprintSha256: string };
  };

  /** The tenant's signing key, found the way an operator would: by the description the import gives it. */
  const keyOf = async (fingerprint: string) => {
    const tenantId = localStack().demo.tenants[TENANT]!.tenantId;
    const { Keys = [] } = await kms.send(new ListKeysCommand({}));
    for (const { KeyId } of Keys) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId }));
      if (KeyMetadata?.Description === `factu signing key of ${tenantId} (${fingerprint.slice(0, 16)})`) {
        return KeyMetadata;
      }
    }
    throw new Error(`no KMS key for certificate ${fingerprint}`);
  };

  beforeAll(async () => {
    admin = await session(TENANT, 'ADMIN');
    const { endpoints, credentials, cognito } = localStack();
    kms = new KMSClient({ endpoint: endpoints.kms, region: cognito.region, credentials: { ...credentials } });
  });

  afterAll(async () => {
    // Other files share the tenant: a certificate on file again, as seeded.
    if (admin && (await admin.call('GET', '/v1/certificates')).body?.data?.length === 0) await upload();
    kms?.destroy();
  });

  it('the key ends PendingDeletion with the 30-day window; the certificate is gone', async () => {
    // Prepare
    const certificate = await upload();
    expect((await keyOf(certificate.fingerprintSha256)).KeyState).toBe('Enabled');

    // Act
    const started = Date.now();
    const deleted = await admin.call('DELETE', `/v1/certificates/${certificate.id}`);

    // Assess
    expect(deleted.status, deleted.text).toBe(200);
    const key = await keyOf(certificate.fingerprintSha256);
    expect(key.KeyState).toBe('PendingDeletion');
    const deletionAt = new Date(key.DeletionDate!).getTime();
    expect(deletionAt).toBeGreaterThanOrEqual(started + 30 * DAY_MS - 60_000);
    expect(deletionAt).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS + 60_000);
    expect((await admin.call('GET', '/v1/certificates')).body.data).toEqual([]);
    const again = await admin.call('DELETE', `/v1/certificates/${certificate.id}`);
    expect(again.status, again.text).toBe(404);
  });
});
