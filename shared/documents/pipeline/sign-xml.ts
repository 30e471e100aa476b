import { now as clockNow } from '#shared/clock';
import { platformSecrets } from '#shared/config/secrets';
import { awaitsContingencyIssue } from '#shared/contingency/decision';
import { documentsRepository } from '#shared/data/documents';
import { tenantsRepository } from '#shared/data/tenants';
import { buildQrUrl } from '#shared/fiscal/qr';
import { KmsSigner } from '#shared/signing/kms-signer';
import { signRfeXml } from '#shared/signing/xmldsig';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import { assertCertificateNotExpired } from '#shared/tenancy/certificate-expiry';
import { kmsClient } from '#shared/tenancy/credentials';
import { beginAttempt } from '../attempts.ts';
import {
  dgiEnvironment,
  loadComputed,
  type PipelineState,
  PipelineStateError,
  rfeContextOf,
} from './common.ts';

/** The tenant has no signing key (removed after the document was accepted): not retryable. */
export class SigningKeyMissingError extends Error {
  override readonly name = 'SigningKeyMissingError';
}

/**
 * emitter-signed, first step of an attempt: takes ownership of the attempt, builds our rFE and signs it
 * with the tenant's key in KMS (only the SignedInfo digest travels), adding `gNoFirm/dQRCode` built from the
 * signature's DigestValue. The signed rFE is stored once, where the authorized rFE lives: a later attempt
 * re-sends the same bytes instead of signing again (a KMS Sign is billed per call).
 */
export async function signXml(state: PipelineState, now: Date = clockNow()): Promise<PipelineState> {
  const doc = await beginAttempt(state, { submission: false, now });
  const next = { ...state, issueInContingency: awaitsContingencyIssue(doc) };
  if (doc.signedXmlKey) return { ...next, signedXmlKey: doc.signedXmlKey };

  const [signing, computed, secrets] = await Promise.all([
    tenantsRepository.getSigningKey(doc.tenantId),
    loadComputed(doc),
    platformSecrets(),
  ]);
  if (!signing) throw new SigningKeyMissingError(`tenant ${doc.tenantId} has no signing key`);
  assertCertificateNotExpired(signing, clockNow());
  if (!secrets.qrSecret) throw new PipelineStateError('the platform secret has no qrSecret');
  // The XML builder (~270 KB with its DOM) only on the first attempt: a later one re-sends the stored rFE.
  const { buildRfeXml } = await import('#shared/fiscal/rfe-xml');
  const { xml: unsigned, cufe } = buildRfeXml(computed, rfeContextOf(doc));
  const { xml } = await signRfeXml(
    unsigned,
    {
      signer: new KmsSigner(kmsClient(), signing.kmsKeyId),
      certificatePem: signing.certificatePem,
      subjectName: signing.subject,
    },
    {
      qrUrl: (digestValue) =>
        buildQrUrl({ cufe, environment: dgiEnvironment(doc), digestValue, secret: secrets.qrSecret! }),
    },
  );
  const key = documentObjectKeys(doc.tenantId, doc.documentId).authorizedXml;
  await putObject(key, xml, 'application/xml');
  await documentsRepository.setFields(doc.tenantId, doc.documentId, { signedXmlKey: key });
  return { ...next, signedXmlKey: key };
}
