/**
 * The PAC's signature: HKA signs the rFE it builds with its own certificate (in the DGI sample the CN
 * carries the PAC's RUC, brief §3.2). The sandbox uses a throwaway certificate for HKA's RUC, generated
 * once per sandbox at first use (`#shared/signing/test-certificate`; never committed).
 */
import { createHash } from 'node:crypto';
import { buildQrUrl } from '#shared/fiscal/qr';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import type { SigningIdentity } from '#shared/signing/signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml } from '#shared/signing/xmldsig';
import { PAC_RUC } from './authorization.ts';

export type PacSigner = {
  /** Signs an unsigned rFE and appends gNoFirm/dQRCode; returns the QR too. */
  sign(unsignedXml: string, cufe: string): Promise<{ xml: string; digestValue: string; qr: string }>;
  certificatePem(): string;
};

/**
 * For load tests only: skips XMLDSig (≈ 12 ms per document with xml-crypto) and stands in a SHA-256 of
 * the unsigned rFE for the DigestValue. The rFE then lacks `Signature` and does not validate against the
 * XSD; everything else (CUFE, QR shape, protocol, storage) is unchanged.
 */
export function createUnsignedPacSigner(qrSecret: string): PacSigner {
  return {
    async sign(unsignedXml, cufe) {
      const digestValue = createHash('sha256').update(unsignedXml).digest('base64');
      const qr = buildQrUrl({ cufe, environment: '2', digestValue, secret: qrSecret });
      const xml = unsignedXml.replace(
        /<\/rFE>$/,
        `<gNoFirm><dQRCode>${qr.replaceAll('&', '&amp;')}</dQRCode></gNoFirm></rFE>`,
      );
      return { xml, digestValue, qr };
    },
    certificatePem: () => '',
  };
}

export function createPacSigner(qrSecret: string): PacSigner {
  let identity: (SigningIdentity & { certificatePem: string }) | undefined;
  const ensure = () => {
    if (!identity) {
      const cert = generateTestCertificate({
        ruc: PAC_RUC,
        dv: '59',
        name: 'THE FACTORY HKA CORP (SANDBOX)',
      });
      identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
    }
    return identity;
  };
  return {
    async sign(unsignedXml, cufe) {
      let qr = '';
      const signed = await signRfeXml(unsignedXml, ensure(), {
        qrUrl: (digestValue) => {
          qr = buildQrUrl({ cufe, environment: '2', digestValue, secret: qrSecret });
          return qr;
        },
      });
      return { ...signed, qr };
    },
    certificatePem: () => ensure().certificatePem,
  };
}
