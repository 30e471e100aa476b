/**
 * Names with `&`, `<`, `;` and quotes through the whole emitter-signed chain: the product's rFE builder,
 * the XMLDSig signer, the rFE validator and the sandbox's PAC reception. XML-escaped text is well-formed
 * XML, and every step must read it as such (the validator once re-serialized the document and turned
 * `AT&amp;T;` into the undefined entity `&T;`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issuer } from '#shared/fiscal/issuer';
import { buildQrUrl } from '#shared/fiscal/qr';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { createPacReceptionClient } from '#shared/hka/pac-reception-client';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml, verifyRfeSignature } from '#shared/signing/xmldsig';
import { demoIssuer } from '#test/unit/fiscal/support/demo-issuer';
import { invoice, taxpayerReceiver } from '#test/unit/fiscal/support/documents';
import { validate } from '#test/unit/fiscal/support/violations';
import { type Harness, startHarness } from '#test/unit/hka/harness';

const TRICKY = {
  name: `AT&T; <Ñandú> "Q" 'A' &x; S.A.`,
  address: 'Calle 50 & Av. <B>; "Torre" &amp; 3',
  description: `Tornillos 3/8" & tuercas <M8>; AT&T; &#65;`,
  remarks: 'Pago &lt;contado&gt; & entrega; "sin" cargo',
};

describe('escaped text through build → sign → validate → PAC reception', () => {
  let h: Harness;
  let issuer: Issuer;
  let identity: { signer: LocalKeySigner; certificatePem: string };
  beforeAll(async () => {
    h = await startHarness({ seed: 41 });
    const tenant = h.sandbox.state.data.tenants[0]!;
    issuer = { ...demoIssuer, ruc: tenant.ruc, dv: tenant.dv, rucType: tenant.rucType, name: tenant.name };
    const cert = generateTestCertificate({ ruc: tenant.ruc, dv: tenant.dv, name: tenant.name });
    identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
  });
  afterAll(async () => h.close());

  async function signedDocument(number: string) {
    const result = validate(
      invoice({
        remarks: TRICKY.remarks,
        receiver: { ...taxpayerReceiver, name: TRICKY.name, address: TRICKY.address },
        items: [{ description: TRICKY.description, quantity: '1', unitPrice: '100.00', itbmsRate: '7' }],
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.violations));
    const ctx: RfeContext = {
      issuer,
      environment: '2',
      number,
      pointOfSale: '001',
      securityCode: '123456789',
    };
    const { xml: unsigned, cufe } = buildRfeXml(result.document, ctx);
    const signed = await signRfeXml(unsigned, identity, {
      qrUrl: (digestValue) => buildQrUrl({ cufe, environment: '2', digestValue, secret: 'q'.repeat(64) }),
    });
    return { unsigned, signed: signed.xml, cufe };
  }

  it('the unsigned and the signed rFE validate, and the signature verifies', async () => {
    // Act
    const { unsigned, signed } = await signedDocument('0000000901');

    // Assess
    expect(signed).toContain('<dNombRec>AT&amp;T; &lt;Ñandú&gt; "Q" \'A\' &amp;x; S.A.</dNombRec>');
    expect(validateRfeXml(unsigned)).toEqual({ valid: true });
    expect(validateRfeXml(signed)).toEqual({ valid: true });
    expect(verifyRfeSignature(signed, identity.certificatePem)).toEqual({ valid: true });
  });

  it('a signed rFE that lacks only its gNoFirm is completed and validated without re-reading its text', async () => {
    // Prepare
    const { signed } = await signedDocument('0000000902');
    const withoutQr = signed.replace(/<gNoFirm>[\s\S]*<\/gNoFirm>/, '');

    // Act & Assess
    expect(withoutQr).not.toContain('gNoFirm');
    expect(validateRfeXml(withoutQr)).toEqual({ valid: true });
  });

  it('what is not well-formed stays refused: an unescaped entity reference', () => {
    // Act
    const result = validateRfeXml(
      '<rFE xmlns="http://dgi-fep.mef.gob.pa"><dVerForm>1.00</dVerForm><x>AT&T;</x></rFE>',
    );

    // Assess
    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors.join()).toMatch(/Entity 'T' not defined/);
  });

  it('the PAC reception authorizes it (0260) with the CUFE we built', async () => {
    // Prepare
    const client = createPacReceptionClient({
      endpoint: h.sandbox.pacReceptionUrl,
      timeoutMs: 5_000,
      metrics: () => {},
    });
    try {
      const { signed, cufe } = await signedDocument('0000000903');

      // Act
      const answer = await client.send(signed);

      // Assess
      expect(answer).toMatchObject({ duplicate: false, code: '0260', cufe });
    } finally {
      client.close();
    }
  });
});
