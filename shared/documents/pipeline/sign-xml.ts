import { platformSecrets } from '#shared/config/secrets';
import { tenantsRepository } from '#shared/data/tenants';
import { buildQrUrl } from '#shared/fiscal/qr';
import { KmsSigner } from '#shared/signing/kms-signer';
import { signRfeXml } from '#shared/signing/xmldsig';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { kmsClient } from '#shared/tenancy/credentials';
import { dgiEnvironment, loadDocument, type PipelineState, PipelineStateError } from './common.ts';

/** The tenant has no signing key (removed after the document was accepted): not retryable. */
export class SigningKeyMissingError extends Error {
  override readonly name = 'SigningKeyMissingError';
}

/** `dId` is the CUFE (brief §3.1); read from the XML we built so signing never recomputes it. */
export function cufeOfRfe(xml: string): string {
  const match = /<(?:\w+:)?dId>([^<]+)<\/(?:\w+:)?dId>/.exec(xml);
  if (!match?.[1]) throw new PipelineStateError('unsigned rFE has no dId');
  return match[1];
}

/**
 * emitter-signed: signs our rFE with the tenant's key in KMS (only the SignedInfo digest travels) and adds
 * `gNoFirm/dQRCode` built from the signature's DigestValue.
 */
export async function signXml(state: PipelineState): Promise<PipelineState> {
  if (!state.unsignedXmlKey) throw new PipelineStateError('sign-xml needs unsignedXmlKey');
  const doc = await loadDocument(state);
  const signing = await tenantsRepository.getSigningKey(doc.tenantId);
  if (!signing) throw new SigningKeyMissingError(`tenant ${doc.tenantId} has no signing key`);
  const unsigned = await getObjectText(state.unsignedXmlKey);
  const cufe = cufeOfRfe(unsigned);
  const { qrSecret } = await platformSecrets();
  if (!qrSecret) throw new PipelineStateError('the platform secret has no qrSecret');

  const { xml } = await signRfeXml(
    unsigned,
    { signer: new KmsSigner(kmsClient(), signing.kmsKeyId), certificatePem: signing.certificatePem },
    {
      qrUrl: (digestValue) =>
        buildQrUrl({ cufe, environment: dgiEnvironment(doc), digestValue, secret: qrSecret }),
    },
  );
  const key = documentObjectKeys(doc.tenantId, doc.documentId).signedXml;
  await putObject(key, xml, 'application/xml');
  return { ...state, signedXmlKey: key };
}
