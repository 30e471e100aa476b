import { type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { assertSha256Digest, type Signer } from './signer.ts';

/**
 * Signs in AWS KMS. With `MessageType: DIGEST` KMS takes the 32-byte SHA-256 digest, wraps it in the
 * DigestInfo itself and applies PKCS#1 v1.5 padding, so the private key (imported per tenant, see
 * kms-import.ts) never leaves KMS and only the digest of the SignedInfo travels.
 */
export class KmsSigner implements Signer {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async signSha256Digest(digest: Uint8Array): Promise<Uint8Array> {
    assertSha256Digest(digest);
    let Signature: Uint8Array | undefined;
    try {
      ({ Signature } = await this.kms.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      ));
    } catch (error) {
      // KMS's shared request quota for Sign is the ceiling of emitter-signed issuing: alarmed on.
      if ((error as Error).name === 'ThrottlingException')
        metrics.addMetric('KmsSignThrottled', MetricUnit.Count, 1);
      throw error;
    }
    if (!Signature || Signature.length === 0) {
      throw new Error(`KMS returned no signature for key ${this.keyId}`);
    }
    return Signature;
  }
}
