import { beforeAll, describe, expect, it } from 'vitest';
import { buildQrUrl } from '#shared/fiscal/qr';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml, verifyRfeSignature, withoutUnsignedFields } from '#shared/signing/xmldsig';
import { twelveItemDocument } from '#test/unit/fiscal/fixtures/twelve-item-document';
import { demoContext, demoIssuer } from '#test/unit/fiscal/support/demo-issuer';
import { withPubkeyCert, xmlsec1Available, xmlsec1Verify } from './helpers.ts';

/** The real pipeline: validated document → rFE builder → signer → verifiers and the DGI XSD. */
describe('signing a real rFE built by shared/fiscal', () => {
  const cert = generateTestCertificate({ ruc: demoIssuer.ruc, dv: demoIssuer.dv, name: demoIssuer.name });
  let unsigned: string;
  let signed: { xml: string; digestValue: string };

  beforeAll(async () => {
    const validated = validateDocument(twelveItemDocument, { now: new Date('2026-11-20T15:00:00Z') });
    if (!validated.ok) throw new Error(`fixture invalid: ${JSON.stringify(validated.violations)}`);
    const built = buildRfeXml(validated.document, demoContext);
    unsigned = built.xml;
    const identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
    signed = await signRfeXml(unsigned, identity, {
      qrUrl: (digestValue) =>
        buildQrUrl({
          cufe: built.cufe,
          environment: demoContext.environment,
          digestValue,
          secret: 'test-secret',
        }),
    });
  });

  it('verifies with xml-crypto and, gNoFirm removed, with xmlsec1', () => {
    expect(verifyRfeSignature(signed.xml, cert.certificatePem)).toEqual({ valid: true });
    if (xmlsec1Available) {
      const result = xmlsec1Verify(withoutUnsignedFields(signed.xml), withPubkeyCert(cert.certificatePem));
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('validates against the DGI XSD with the real Signature and gNoFirm (no placeholders)', () => {
    expect(validateRfeXml(signed.xml)).toEqual({ valid: true });
  });

  it('fails verification when a total changes', () => {
    const tampered = signed.xml.replace('<dVTot>685.66</dVTot>', '<dVTot>68.56</dVTot>');
    expect(tampered).not.toBe(signed.xml);
    expect(verifyRfeSignature(tampered, cert.certificatePem).valid).toBe(false);
  });
});
