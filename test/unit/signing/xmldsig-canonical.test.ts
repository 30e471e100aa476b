import { beforeAll, describe, expect, it } from 'vitest';
import { buildQrUrl } from '#shared/fiscal/qr';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import type { SigningIdentity } from '#shared/signing/signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  signRfeXml,
  signRfeXmlWithXmlCrypto,
  verifyRfeSignature,
  withoutUnsignedFields,
} from '#shared/signing/xmldsig';
import { canonicalRfeBody } from '#shared/signing/xmldsig-canonical';
import { twelveItemDocument } from '#test/unit/fiscal/fixtures/twelve-item-document';
import { demoContext, demoIssuer } from '#test/unit/fiscal/support/demo-issuer';
import { qrUrl, UNSIGNED_RFE, withPubkeyCert, xmlsec1Available, xmlsec1Verify } from './helpers.ts';

/**
 * The canonical fast path of signRfeXml (string templates, no DOM) must write exactly what the xml-crypto
 * path writes, and only take documents it can prove are canonical.
 */
const NOW = new Date('2026-11-20T15:00:00Z');

type Raw = typeof twelveItemDocument;
function built(input: Raw): { xml: string; cufe: string } {
  const validated = validateDocument(input, { now: NOW });
  if (!validated.ok) throw new Error(`fixture invalid: ${JSON.stringify(validated.violations)}`);
  return buildRfeXml(validated.document, demoContext);
}

/** The first `count` items of the fixture, without the global discount, paid exactly. */
function firstItems(count: number): Raw {
  const input = {
    ...twelveItemDocument,
    items: twelveItemDocument.items.slice(0, count),
    discounts: undefined,
  };
  const probe = validateDocument(
    { ...input, payments: [{ method: 'cash', amount: '9999999.99' }] },
    { now: NOW },
  );
  if (!probe.ok) throw new Error(`fixture invalid: ${JSON.stringify(probe.violations)}`);
  return { ...input, payments: [{ method: 'cash', amount: probe.document.totals.total }] } as Raw;
}

/** The fixture with its descriptions (and one code) replaced; payment stays exact (totals are unchanged). */
function withTexts(texts: string[]): Raw {
  return {
    ...twelveItemDocument,
    items: twelveItemDocument.items.map((item, i) => ({
      ...item,
      description: texts[i % texts.length]!,
    })),
  } as Raw;
}

const SPECIAL_TEXTS = [
  'A & B <C> "D" \'E\'',
  'Café ñandú — “comillas” € 😀 Σ',
  'x]]>y &amp; &lt;literal&gt; AT&T;',
  'tab\there\nnew line',
  '   leading and trailing spaces   ',
];

const documents: [string, () => { xml: string; cufe: string }][] = [
  ['the 12-item fixture', () => built(twelveItemDocument)],
  ['a 1-item document', () => built(firstItems(1))],
  ['2 items', () => built(firstItems(2))],
  ['special characters in text', () => built(withTexts(SPECIAL_TEXTS))],
];

describe('signRfeXml canonical fast path', () => {
  const cert = generateTestCertificate({
    ruc: demoIssuer.ruc,
    dv: demoIssuer.dv,
    name: 'PANADERÍA A & B <"x"> \'y\', S.A.',
  });
  let identity: SigningIdentity;
  beforeAll(() => {
    identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
  });

  for (const [name, make] of documents) {
    describe(name, () => {
      let unsigned: { xml: string; cufe: string };
      let fast: { xml: string; digestValue: string };
      let reference: { xml: string; digestValue: string };
      const qr = (cufe: string) => (digestValue: string) =>
        buildQrUrl({ cufe, environment: demoContext.environment, digestValue, secret: 'k & <s>' });

      beforeAll(async () => {
        unsigned = make();
        fast = await signRfeXml(unsigned.xml, identity, { qrUrl: qr(unsigned.cufe) });
        reference = await signRfeXmlWithXmlCrypto(unsigned.xml, identity, { qrUrl: qr(unsigned.cufe) });
      });

      it('takes the fast path (buildRfeXml output is canonical)', () => {
        expect(canonicalRfeBody(unsigned.xml)).toBe(unsigned.xml.replace(/^<\?xml[^>]*\?>/, ''));
      });

      it('writes byte-identical output to the xml-crypto path', () => {
        expect(fast.digestValue).toBe(reference.digestValue);
        expect(fast.xml).toBe(reference.xml);
      });

      it('verifies with verifyRfeSignature and with xmlsec1 (gNoFirm stripped)', () => {
        expect(verifyRfeSignature(fast.xml, cert.certificatePem)).toEqual({ valid: true });
        expect(verifyRfeSignature(fast.xml)).toEqual({ valid: true });
        if (xmlsec1Available) {
          const result = xmlsec1Verify(withoutUnsignedFields(fast.xml), withPubkeyCert(cert.certificatePem));
          expect(result.ok, result.output).toBe(true);
        }
      });

      it('a tampered amount fails both verifiers', () => {
        const tampered = fast.xml.replace(
          /<dVTot>([0-9.]+)<\/dVTot>/,
          (_, v: string) => `<dVTot>${v}1</dVTot>`,
        );
        expect(tampered).not.toBe(fast.xml);
        expect(verifyRfeSignature(tampered, cert.certificatePem).valid).toBe(false);
        if (xmlsec1Available) {
          const result = xmlsec1Verify(withoutUnsignedFields(tampered), withPubkeyCert(cert.certificatePem));
          expect(result.ok).toBe(false);
        }
      });
    });
  }

  describe('precondition check (canonicalRfeBody)', () => {
    const body = built(twelveItemDocument).xml;
    const declaration = '<?xml version="1.0" encoding="UTF-8"?>';

    it('accepts the document with or without the XML declaration', () => {
      expect(canonicalRfeBody(body)).toBeDefined();
      expect(canonicalRfeBody(body.slice(declaration.length))).toBe(body.slice(declaration.length));
    });

    it.each([
      ['indented, extra namespace (the hand-written fixture)', UNSIGNED_RFE],
      ['a trailing newline', `${body}\n`],
      ['whitespace before the root', body.replace('?><rFE', '?>\n<rFE')],
      ['another declaration', body.replace(declaration, '<?xml version="1.0"?>')],
      ['a prefixed root', body.replace('<rFE xmlns=', '<fe:rFE xmlns:fe=')],
      [
        'an extra namespace declaration',
        body.replace('<rFE xmlns="http://dgi-fep.mef.gob.pa"', '$& xmlns:x="urn:x"'),
      ],
      ['an attribute', body.replace('<dVerForm>', '<dVerForm a="1">')],
      ['an empty element', body.replace('<dVerForm>1.00</dVerForm>', '<dVerForm/>')],
      ['a character reference', body.replace('<dVerForm>1.00', '<dVerForm>&#49;.00')],
      ['&quot;', body.replace('<dVerForm>1.00', '<dVerForm>&quot;1.00')],
      ['a raw >', body.replace('<dVerForm>1.00', '<dVerForm>>1.00')],
      ['a CR', body.replace('<dVerForm>1.00', '<dVerForm>\r1.00')],
      ['a control character', body.replace('<dVerForm>1.00', '<dVerForm>\u00011.00')],
      ['a lone surrogate', body.replace('<dVerForm>1.00', '<dVerForm>\ud8001.00')],
      ['a comment', body.replace('<dVerForm>', '<!--c--><dVerForm>')],
      ['CDATA', body.replace('<dVerForm>1.00', '<dVerForm><![CDATA[1.00]]>')],
      ['a mismatched end tag', body.replace('</dVerForm>', '</dVerFor>')],
      ['an unclosed element', body.replace('</dVerForm>', '')],
      ['a second root', `${body}<rFE xmlns="http://dgi-fep.mef.gob.pa"></rFE>`],
      ['an existing Signature', body.replace('</rFE>', '<Signature></Signature></rFE>')],
      ['an existing gNoFirm', body.replace('</rFE>', '<gNoFirm></gNoFirm></rFE>')],
    ])('refuses %s (falls back to xml-crypto)', (_, xml) => {
      expect(canonicalRfeBody(xml)).toBeUndefined();
    });

    it('a refused-but-valid document is still signed (xml-crypto path) and verifies', async () => {
      const withReference = body.replace('<dVerForm>1.00', '<dVerForm>&#49;.00');
      expect(canonicalRfeBody(withReference)).toBeUndefined();
      const signed = await signRfeXml(withReference, identity, { qrUrl });
      expect(signed).toEqual(await signRfeXmlWithXmlCrypto(withReference, identity, { qrUrl }));
      expect(verifyRfeSignature(signed.xml, cert.certificatePem)).toEqual({ valid: true });
    });

    it('whitespace between elements is canonical too: accepted, same bytes as xml-crypto', async () => {
      const indented = body.replace('<dVerForm>', '\n  <dVerForm>').replace('</gTot>', '</gTot>\n');
      expect(canonicalRfeBody(indented)).toBeDefined();
      const signed = await signRfeXml(indented, identity, { qrUrl });
      expect(signed).toEqual(await signRfeXmlWithXmlCrypto(indented, identity, { qrUrl }));
      expect(verifyRfeSignature(signed.xml, cert.certificatePem)).toEqual({ valid: true });
    });
  });
});
