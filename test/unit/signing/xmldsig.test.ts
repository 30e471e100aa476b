import { createHash } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import type { SigningIdentity } from '#shared/signing/signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml, verifyRfeSignature, withoutUnsignedFields } from '#shared/signing/xmldsig';
import {
  qrUrl,
  testCertificate,
  UNSIGNED_RFE,
  withPubkeyCert,
  xmlsec1Available,
  xmlsec1Verify,
} from './helpers.ts';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const RFE = 'http://dgi-fep.mef.gob.pa';

const children = (node: Element) =>
  Array.from({ length: node.childNodes.length }, (_, i) => node.childNodes[i]!).filter(
    (n): n is Element => n.nodeType === 1,
  );
const child = (node: Element, name: string) => {
  const found = children(node).find((e) => e.localName === name);
  if (!found) throw new Error(`no ${name} under ${node.localName}`);
  return found;
};

describe('signRfeXml / verifyRfeSignature', () => {
  let identity: SigningIdentity;
  let signed: { xml: string; digestValue: string };

  beforeAll(async () => {
    const cert = testCertificate();
    identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
    signed = await signRfeXml(UNSIGNED_RFE, identity, { qrUrl });
  });

  it('round-trips: the signed document verifies with the embedded and with the given certificate', () => {
    expect(verifyRfeSignature(signed.xml)).toEqual({ valid: true });
    expect(verifyRfeSignature(signed.xml, identity.certificatePem)).toEqual({ valid: true });
  });

  describe('structure (DGI profile §3.2)', () => {
    const parse = () => new DOMParser().parseFromString(signed.xml, 'text/xml').documentElement!;

    it('appends Signature then gNoFirm as the last two children of rFE', () => {
      const names = children(parse()).map((e) => e.localName);
      expect(names).toEqual(['dVerForm', 'dId', 'gDGen', 'gItem', 'gTot', 'Signature', 'gNoFirm']);
    });

    it('puts Signature in the default xmldsig namespace, without a ds: prefix', () => {
      const signature = child(parse(), 'Signature');
      expect(signature.namespaceURI).toBe(DSIG);
      expect(signature.prefix).toBeNull();
      expect(signature.getAttribute('xmlns')).toBe(DSIG);
      expect(signed.xml).not.toMatch(/<ds:|xmlns:ds=/);
    });

    it('uses exclusive c14n, RSA-SHA256, one Reference URI="" with enveloped-signature then exc-c14n, SHA-256', () => {
      const signedInfo = child(child(parse(), 'Signature'), 'SignedInfo');
      expect(children(signedInfo).map((e) => e.localName)).toEqual([
        'CanonicalizationMethod',
        'SignatureMethod',
        'Reference',
      ]);
      expect(child(signedInfo, 'CanonicalizationMethod').getAttribute('Algorithm')).toBe(
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      );
      expect(child(signedInfo, 'SignatureMethod').getAttribute('Algorithm')).toBe(
        'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      );
      const reference = child(signedInfo, 'Reference');
      expect(reference.hasAttribute('URI')).toBe(true);
      expect(reference.getAttribute('URI')).toBe('');
      expect(children(child(reference, 'Transforms')).map((t) => t.getAttribute('Algorithm'))).toEqual([
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ]);
      expect(child(reference, 'DigestMethod').getAttribute('Algorithm')).toBe(
        'http://www.w3.org/2001/04/xmlenc#sha256',
      );
      expect(child(reference, 'DigestValue').textContent).toBe(signed.digestValue);
    });

    it('orders SignedInfo, SignatureValue, KeyInfo and carries X509SubjectName + X509Certificate', () => {
      const signature = child(parse(), 'Signature');
      expect(children(signature).map((e) => e.localName)).toEqual([
        'SignedInfo',
        'SignatureValue',
        'KeyInfo',
      ]);
      const x509Data = child(child(signature, 'KeyInfo'), 'X509Data');
      expect(children(x509Data).map((e) => e.localName)).toEqual(['X509SubjectName', 'X509Certificate']);
      expect(child(x509Data, 'X509SubjectName').textContent).toBe(
        'CN=[F] PANADERÍA A & B\\, S.A. - 155596713-2-2015 - 59 - PRUEBA,OU=FACTURA ELECTRONICA,C=PA',
      );
      const pemBody = identity.certificatePem.replace(/-----[^-]+-----|\s/g, '');
      expect(child(x509Data, 'X509Certificate').textContent).toBe(pemBody);
      expect(Buffer.from(child(signature, 'SignatureValue').textContent!, 'base64')).toHaveLength(256);
    });

    it('puts qrUrl(digestValue) in gNoFirm/dQRCode, in the rFE namespace', () => {
      const gNoFirm = child(parse(), 'gNoFirm');
      expect(gNoFirm.namespaceURI).toBe(RFE);
      const dQRCode = child(gNoFirm, 'dQRCode');
      expect(dQRCode.namespaceURI).toBe(RFE);
      expect(dQRCode.textContent).toBe(qrUrl(signed.digestValue));
      // `&` escaped once in the XML, raw base64 in the value (§5).
      expect(signed.xml).toContain('&amp;iAmb=2&amp;digestValue=');
    });

    it('computes DigestValue as SHA-256 of the exclusive-c14n unsigned document', () => {
      const root = new DOMParser().parseFromString(UNSIGNED_RFE, 'text/xml').documentElement!;
      const canonical = new ExclusiveCanonicalization().process(root as never, {}) as string;
      expect(createHash('sha256').update(canonical, 'utf8').digest('base64')).toBe(signed.digestValue);
    });

    it('leaves the signed content itself untouched', () => {
      expect(withoutUnsignedFields(signed.xml)).toContain(
        '<dDescProd>Pan de molde &lt;integral&gt;</dDescProd>',
      );
      expect(signed.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    });
  });

  describe('tampering', () => {
    it('fails when an amount changes', () => {
      const tampered = signed.xml.replace('<dVTot>12.25</dVTot>', '<dVTot>1.25</dVTot>');
      expect(tampered).not.toBe(signed.xml);
      const result = verifyRfeSignature(tampered);
      expect(result.valid).toBe(false);
      expect(result.reason).toMatch(/content changed after signing/);
    });

    it('fails when the SignatureValue changes', () => {
      const tampered = signed.xml.replace(
        /<SignatureValue>(.)/,
        (_, c) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`,
      );
      const result = verifyRfeSignature(tampered);
      expect(result).toMatchObject({ valid: false });
      expect(result.reason).not.toMatch(/[A-Za-z0-9+/]{100}/); // no SignatureValue dump in the reason
    });

    it('fails with a certificate other than the signer’s', () => {
      const other = generateTestCertificate({ ruc: '8-123-456', dv: '12', name: 'OTRO' });
      expect(verifyRfeSignature(signed.xml, other.certificatePem).valid).toBe(false);
    });

    it('still verifies when only gNoFirm changes: it is outside the signature by design (§3.1)', () => {
      const changedQr = signed.xml.replace(
        /<dQRCode>[^<]*<\/dQRCode>/,
        '<dQRCode>https://example.test/</dQRCode>',
      );
      expect(verifyRfeSignature(changedQr).valid).toBe(true);
    });

    it('rejects a document with two signatures or a signature away from the root (wrapping)', () => {
      const signature = /<Signature [\s\S]*<\/Signature>/.exec(signed.xml)![0];
      const twice = signed.xml.replace('</gTot>', `</gTot>${signature}`);
      expect(verifyRfeSignature(twice)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/exactly one/),
      });
      const nested = signed.xml.replace(signature, '').replace('</gItem>', `${signature}</gItem>`);
      expect(verifyRfeSignature(nested)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/child of rFE/),
      });
    });

    it('rejects a Reference that does not cover the whole document', () => {
      const partial = signed.xml.replace('<Reference URI="">', '<Reference URI="#x">');
      expect(verifyRfeSignature(partial)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/URI/),
      });
    });

    it('reports unsigned and malformed documents instead of throwing', () => {
      expect(verifyRfeSignature(UNSIGNED_RFE)).toMatchObject({ valid: false });
      expect(verifyRfeSignature('<rFE')).toMatchObject({ valid: false });
      expect(verifyRfeSignature('<other/>')).toMatchObject({ valid: false });
    });
  });

  it('keeps carriage returns and other escaped characters signed (CRLF pasted into a description)', async () => {
    const withCr = UNSIGNED_RFE.replace(
      '<dDescProd>Pan de molde &lt;integral&gt;</dDescProd>',
      '<dDescProd>línea 1&#xD;\nlínea 2\t"comillas" &amp; &gt;</dDescProd>',
    );
    const { xml } = await signRfeXml(withCr, identity, { qrUrl });
    expect(xml).toContain('línea 1&#xD;\n');
    expect(verifyRfeSignature(xml)).toEqual({ valid: true });
    if (xmlsec1Available) {
      const result = xmlsec1Verify(withoutUnsignedFields(xml), withPubkeyCert(identity.certificatePem));
      expect(result.ok, result.output).toBe(true);
    }
  });

  describe('input checks', () => {
    it('refuses a document that is already signed or not an rFE', async () => {
      await expect(signRfeXml(signed.xml, identity, { qrUrl })).rejects.toThrow(/already signed/);
      await expect(signRfeXml('<rFE xmlns="urn:other"/>', identity, { qrUrl })).rejects.toThrow(/rFE root/);
      await expect(signRfeXml('<rFE', identity, { qrUrl })).rejects.toThrow(/malformed/);
    });

    it('propagates a failure of the signer', async () => {
      const failing: SigningIdentity = {
        certificatePem: identity.certificatePem,
        signer: { signSha256Digest: async () => Promise.reject(new Error('KMS throttled')) },
      };
      await expect(signRfeXml(UNSIGNED_RFE, failing, { qrUrl })).rejects.toThrow('KMS throttled');
    });

    it('refuses to emit a signature made with a key that does not belong to the certificate', async () => {
      const other = generateTestCertificate({ ruc: '8-123-456', dv: '12', name: 'OTRO' });
      const mismatched: SigningIdentity = {
        certificatePem: identity.certificatePem,
        signer: new LocalKeySigner(other.privateKeyPem),
      };
      await expect(signRfeXml(UNSIGNED_RFE, mismatched, { qrUrl })).rejects.toMatchObject({
        name: 'SigningKeyMismatchError',
      });
    });

    it('sends the signer exactly SHA-256 of the canonical SignedInfo', async () => {
      const digests: Uint8Array[] = [];
      const recording: SigningIdentity = {
        certificatePem: identity.certificatePem,
        signer: {
          signSha256Digest: async (digest) => {
            digests.push(digest);
            return identity.signer.signSha256Digest(digest);
          },
        },
      };
      const { xml } = await signRfeXml(UNSIGNED_RFE, recording, { qrUrl });
      expect(digests).toHaveLength(1);
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      const signedInfo = doc.getElementsByTagNameNS(DSIG, 'SignedInfo')[0]!;
      const canonical = new ExclusiveCanonicalization().process(signedInfo as never, {}) as string;
      expect(Buffer.from(digests[0]!)).toEqual(createHash('sha256').update(canonical, 'utf8').digest());
    });
  });
});
