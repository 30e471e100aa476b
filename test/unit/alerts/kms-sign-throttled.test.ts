import { createHash } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#shared/observability/metrics';
import { KmsSigner } from '#shared/signing/kms-signer';

describe('KmsSignThrottled (the alarm’s metric)', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => {
    kms.reset();
    vi.restoreAllMocks();
  });
  const signer = new KmsSigner(new KMSClient({ region: 'us-east-1' }), 'key-1');
  const digest = createHash('sha256').update('x').digest();

  it('is counted when KMS throttles Sign, and the error still surfaces', async () => {
    // Prepare
    const added = vi.spyOn(metrics, 'addMetric');
    kms.on(SignCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // Act / Assess
    await expect(signer.signSha256Digest(digest)).rejects.toThrow('Rate exceeded');
    expect(added).toHaveBeenCalledWith('KmsSignThrottled', 'Count', 1);
  });

  it('is not counted for other KMS errors', async () => {
    const added = vi.spyOn(metrics, 'addMetric');
    kms.on(SignCommand).rejects(Object.assign(new Error('disabled'), { name: 'DisabledException' }));
    await expect(signer.signSha256Digest(digest)).rejects.toThrow('disabled');
    expect(added).not.toHaveBeenCalled();
  });
});
