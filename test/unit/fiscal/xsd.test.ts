import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateAgainst, validateRfeXml } from '#shared/fiscal/xsd';
import { demoContext } from './support/demo-issuer';
import { invoice } from './support/documents';
import { validate } from './support/violations';

function unsignedXml(raw = invoice()) {
  const result = validate(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return buildRfeXml(result.document, demoContext).xml;
}

describe('validateRfeXml', () => {
  it('accepts an unsigned rFE (placeholder Signature/gNoFirm are added to a copy)', () => {
    // Act & Assess
    expect(validateRfeXml(unsignedXml())).toEqual({ valid: true });
  });

  it('validates a signed document as it is: a malformed Signature is reported', () => {
    // Prepare: a Signature without SignedInfo, and a gNoFirm
    const xml = unsignedXml().replace(
      '</rFE>',
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>AAAA</SignatureValue></Signature>' +
        `<gNoFirm><dQRCode>${'q'.repeat(120)}</dQRCode></gNoFirm></rFE>`,
    );

    // Act
    const result = validateRfeXml(xml);

    // Assess
    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors.join('\n')).toMatch(/SignatureValue|SignedInfo/);
  });

  it('checks the real patched XSD: a wrong element order is reported with its line', () => {
    // Prepare
    const xml = unsignedXml().replace(
      /<iAmb>2<\/iAmb><iTpEmis>01<\/iTpEmis>/,
      '<iTpEmis>01</iTpEmis><iAmb>2</iAmb>',
    );

    // Act
    const result = validateRfeXml(xml);

    // Assess
    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors[0]).toMatch(/^line \d+: .*iTpEmis/);
  });

  it('enforces "not all zeros" for dNroDF, dPtoFacDF and dSeg, which the patched XSD dropped', () => {
    // Prepare
    const xml = unsignedXml()
      .replace(/<dNroDF>\d+<\/dNroDF>/, '<dNroDF>0000000000</dNroDF>')
      .replace(/<dPtoFacDF>\d+<\/dPtoFacDF>/, '<dPtoFacDF>000</dPtoFacDF>')
      .replace(/<dSeg>\d+<\/dSeg>/, '<dSeg>000000000</dSeg>');

    // Act
    const result = validateRfeXml(xml);

    // Assess
    expect(result).toEqual({
      valid: false,
      errors: [
        'dNroDF must not be all zeros',
        'dPtoFacDF must not be all zeros',
        'dSeg must not be all zeros',
      ],
    });
  });

  it('gives the same verdicts on the text-insertion path and on the libxml2 re-serialization', () => {
    // Prepare: a trailing comment and a description mentioning "Signature" both force the libxml2 path
    const valid = unsignedXml();
    const misordered = valid.replace(
      /<iAmb>2<\/iAmb><iTpEmis>01<\/iTpEmis>/,
      '<iTpEmis>01</iTpEmis><iAmb>2</iAmb>',
    );
    const zeros = valid.replace(/<dSeg>[0-9]{9}<\/dSeg>/, '<dSeg>000000000</dSeg>');
    const viaLibxml2 = (xml: string) => [
      `${xml}<!-- </rFE> -->`,
      xml.replace('</dVerForm>', '</dVerForm><!-- Signature -->'),
    ];

    // Act & Assess
    for (const xml of viaLibxml2(valid)) expect(validateRfeXml(xml)).toEqual({ valid: true });
    for (const xml of viaLibxml2(misordered)) {
      const result = validateRfeXml(xml);
      expect(!result.valid && result.errors.join()).toMatch(/iTpEmis|iAmb/);
    }
    for (const xml of [zeros, ...viaLibxml2(zeros)]) {
      expect(validateRfeXml(xml)).toEqual({ valid: false, errors: ['dSeg must not be all zeros'] });
    }
  });

  it('inserts the placeholders only at the root end tag (a namespace prefix is fine)', () => {
    // Prepare
    const prefixed = unsignedXml()
      .replace('<rFE xmlns=', '<fe:rFE xmlns:fe=')
      .replace('</rFE>', '</fe:rFE>\n')
      .replace(/<(\/?)(?!fe:|\?xml)([A-Za-z])/g, '<$1fe:$2');

    // Act & Assess
    expect(validateRfeXml(prefixed)).toEqual({ valid: true });
    expect(
      validateRfeXml('<rFE xmlns="http://dgi-fep.mef.gob.pa"><dVerForm>1.00</dVerForm></rFE>').valid,
    ).toBe(false);
  });

  it('reports XML that is not well-formed', () => {
    // Act
    const result = validateRfeXml('<rFE><unclosed></rFE>');

    // Assess
    expect(result.valid).toBe(false);
  });

  it('rejects catalog codes the XSD does not know (e.g. unit "UND")', () => {
    // Prepare
    const xml = unsignedXml(
      invoice({
        items: [{ description: 'Item', unit: 'und', quantity: '1', unitPrice: '100', itbmsRate: '7' }],
      }),
    ).replace('<cUnidad>und</cUnidad>', '<cUnidad>UND</cUnidad>');

    // Act
    const result = validateRfeXml(xml);

    // Assess
    expect(!result.valid && result.errors.join()).toMatch(/cUnidad/);
  });
});

describe('validateAgainst (reception schemas)', () => {
  it('validates an rEnviFe reception message', () => {
    // Prepare
    const xml =
      '<feDatosMsg xmlns="http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE"><rEnviFe><dVerForm>1.00</dVerForm>' +
      '<dId>1</dId><iAmb>2</iAmb><xFe>&lt;rFE/&gt;</xFe></rEnviFe></feDatosMsg>';

    // Act & Assess
    expect(validateAgainst('feRecepFE_v1.00.xsd', xml)).toEqual({ valid: true });
    expect(
      validateAgainst('feRecepFE_v1.00.xsd', xml.replace('<iAmb>2</iAmb>', '<iAmb>3</iAmb>')).valid,
    ).toBe(false);
  });

  it('validates an rProtFe protocol response', () => {
    // Prepare
    const xml =
      '<rProtFe><dVerForm>1.00</dVerForm><gInfProt><iAmb>2</iAmb><dVerApl>1.00</dVerApl>' +
      '<dFecProc>2026-11-22T10:00:00-05:00</dFecProc><gResProc><dCodRes>0260</dCodRes>' +
      '<dMsgRes>Autorizado el uso de la FE</dMsgRes></gResProc></gInfProt></rProtFe>';

    // Act & Assess
    expect(validateAgainst('ProtProcesFE_v1.00.xsd', xml)).toEqual({ valid: true });
    expect(validateAgainst('ProtProcesFE_v1.00.xsd', xml.replace(/<gResProc>.*<\/gResProc>/, '')).valid).toBe(
      false,
    );
  });

  // The spec folder lives next to the repository (../shared); the product ships its own copy.
  const referenceXsd = new URL('../../../../shared/spec/dgi-xsd-v1.00-patched/FE_v1.00.xsd', import.meta.url);

  it.skipIf(!existsSync(referenceXsd))('ships an unchanged copy of the patched DGI schema', () => {
    // Act
    const shipped = readFileSync(new URL('../../../shared/fiscal/xsd/FE_v1.00.xsd', import.meta.url), 'utf8');
    const reference = readFileSync(referenceXsd, 'utf8');

    // Assess
    expect(shipped).toBe(reference);
  });
});
