import { describe, expect, it } from 'vitest';
import { checkCufe, parseCufe } from '#shared/fiscal/cufe';
import { RfeContextError } from '#shared/fiscal/rfe-context';
import { buildRfeXml, TEST_ENVIRONMENT_ISSUER_NAME } from '#shared/fiscal/rfe-xml';
import { demoContext, demoIssuer } from './support/demo-issuer';
import { invoice, REFERENCED_CUFE } from './support/documents';
import { validate } from './support/violations';
import { childNames, first, parseXml, RFE_NS, text } from './support/xml';

function computed(raw = invoice()) {
  const result = validate(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.document;
}

describe('buildRfeXml', () => {
  it('builds rFE in the DGI namespace with the top-level XSD order and no Signature/gNoFirm', () => {
    // Act
    const { xml } = buildRfeXml(computed(), demoContext);
    const root = parseXml(xml);

    // Assess
    expect(root.localName).toBe('rFE');
    expect(root.namespaceURI).toBe(RFE_NS);
    expect(childNames(root)).toEqual(['dVerForm', 'dId', 'gDGen', 'gItem', 'gTot']);
    expect(xml).not.toMatch(/Signature|gNoFirm/);
  });

  it('puts the CUFE in dId, built from the document and context', () => {
    // Act
    const { xml, cufe } = buildRfeXml(computed(), demoContext);

    // Assess
    expect(text(parseXml(xml), 'dId')).toBe(cufe);
    expect(checkCufe(cufe)).toEqual({ valid: true });
    expect(parseCufe(cufe)).toMatchObject({
      documentType: '01',
      ruc: demoIssuer.ruc,
      dv: demoIssuer.dv,
      branch: '0000',
      date: '20261122',
      number: demoContext.number,
      pointOfSale: demoContext.pointOfSale,
      emissionType: '01',
      environment: '2',
      securityCode: demoContext.securityCode,
    });
  });

  it('writes gDGen in XSD order, omitting absent optionals', () => {
    // Act
    const gDGen = first(parseXml(buildRfeXml(computed(), demoContext).xml), 'gDGen');

    // Assess
    expect(childNames(gDGen)).toEqual([
      'iAmb',
      'iTpEmis',
      'iDoc',
      'dNroDF',
      'dPtoFacDF',
      'dSeg',
      'dFechaEm',
      'iNatOp',
      'iTipoOp',
      'iDest',
      'iFormCAFE',
      'iEntCAFE',
      'dEnvFE',
      'iProGen',
      'iTipoTranVenta',
      'gEmis',
      'gDatRec',
    ]);
  });

  it('writes contingency, references and export data in their places', () => {
    // Prepare
    const note = computed(
      invoice({
        type: 'credit-note',
        emissionType: 'contingency',
        contingency: { startedAt: '2026-11-22T08:00:00-05:00', reason: 'Caída del enlace con el PAC' },
        references: [{ cufe: REFERENCED_CUFE, issuedAt: '2026-11-01T10:30:00-05:00' }],
        remarks: 'Devolución parcial',
      }),
    );

    // Act
    const root = parseXml(buildRfeXml(note, demoContext).xml);
    const gDGen = first(root, 'gDGen');

    // Assess
    expect(childNames(gDGen)).toEqual([
      'iAmb',
      'iTpEmis',
      'dFechaCont',
      'dMotCont',
      'iDoc',
      'dNroDF',
      'dPtoFacDF',
      'dSeg',
      'dFechaEm',
      'iNatOp',
      'iTipoOp',
      'iDest',
      'iFormCAFE',
      'iEntCAFE',
      'dEnvFE',
      'iProGen',
      'dInfEmFE',
      'gEmis',
      'gDatRec',
      'gDFRef',
    ]);
    const ref = first(root, 'gDFRef');
    expect(childNames(ref)).toEqual(['gRucEmDFRef', 'dNombEmRef', 'dFechaDFRef', 'gDFRefNum']);
    expect(text(ref, 'dCUFERef')).toBe(REFERENCED_CUFE);
    expect(text(ref, 'dNombEmRef')).toBe(demoIssuer.name);
  });

  it('writes items with gPrecios, gITBMSItem, gISCItem, gOTIItem in order and 2–6 decimals', () => {
    // Prepare
    const doc = computed(
      invoice({
        items: [
          {
            description: 'Bebida',
            code: 'B-1',
            unit: 'und',
            quantity: '1.5',
            unitPrice: '2.123456',
            unitDiscount: '0.1',
            itbmsRate: '7',
            isc: { rate: '0.05' },
            oti: [{ code: '01', amount: '0.25' }],
            freight: '1',
            insurance: '0.5',
            cpbs: { segment: '50', family: '5020', unit: 'und' },
            gtin: { code: '7501234567890' },
            lot: { number: 'LOTE-001', quantity: 10 },
          },
        ],
        payments: [{ method: 'cash', amount: '10' }],
      }),
    );

    // Act
    const gItem = first(parseXml(buildRfeXml(doc, demoContext).xml), 'gItem');

    // Assess
    expect(childNames(gItem)).toEqual([
      'dSecItem',
      'dDescProd',
      'dCodProd',
      'cUnidad',
      'dCantCodInt',
      'dCodCPBSabr',
      'dCodCPBScmp',
      'cUnidadCPBS',
      'gPrecios',
      'gCodItem',
      'gITBMSItem',
      'gISCItem',
      'gOTIItem',
      'gMedicina',
    ]);
    expect(childNames(first(gItem, 'gPrecios'))).toEqual([
      'dPrUnit',
      'dPrUnitDesc',
      'dPrItem',
      'dPrAcarItem',
      'dPrSegItem',
      'dValTotItem',
    ]);
    expect(text(gItem, 'dCantCodInt')).toBe('1.5');
    expect(text(gItem, 'dPrUnit')).toBe('2.123456');
    expect(text(gItem, 'dPrUnitDesc')).toBe('0.10');
    expect(text(gItem, 'dPrAcarItem')).toBe('1.00');
  });

  it('writes gTot in order with 2-decimal totals and omits absent optional totals', () => {
    // Act
    const gTot = first(parseXml(buildRfeXml(computed(), demoContext).xml), 'gTot');

    // Assess
    expect(childNames(gTot)).toEqual([
      'dTotNeto',
      'dTotITBMS',
      'dTotGravado',
      'dVTot',
      'dTotRec',
      'iPzPag',
      'dNroItems',
      'dVTotItems',
      'gFormaPago',
    ]);
    expect(text(gTot, 'dVTot')).toBe('107.00');
    expect(text(gTot, 'iFormaPago')).toBe('02');
  });

  it('omits gRucRec, location and taxpayer data for a foreign receiver', () => {
    // Prepare
    const doc = computed(
      invoice({
        receiver: {
          type: 'foreign',
          name: 'John Smith',
          foreignId: { type: 'passport', number: 'X1', country: 'Canadá' },
        },
      }),
    );

    // Act
    const gDatRec = first(parseXml(buildRfeXml(doc, demoContext).xml), 'gDatRec');

    // Assess
    expect(childNames(gDatRec)).toEqual(['iTipoRec', 'dNombRec', 'gIdExt', 'cPaisRec']);
  });

  it('uses the DGI test legend as issuer name in the test environment only', () => {
    // Act
    const test = parseXml(buildRfeXml(computed(), demoContext).xml);
    const production = parseXml(buildRfeXml(computed(), { ...demoContext, environment: '1' }).xml);

    // Assess
    expect(text(test, 'dNombEm')).toBe(TEST_ENVIRONMENT_ISSUER_NAME);
    expect(text(production, 'dNombEm')).toBe(demoIssuer.name);
  });

  it('escapes text instead of concatenating it', () => {
    // Prepare
    const doc = computed(invoice({ remarks: 'A < B & "C" > D' }));

    // Act
    const { xml } = buildRfeXml(doc, demoContext);

    // Assess
    expect(xml).toContain('A &lt; B &amp; "C" &gt; D');
    expect(text(parseXml(xml), 'dInfEmFE')).toBe('A < B & "C" > D');
  });

  it.each([
    ['number', '0000000000'],
    ['number', '123'],
    ['pointOfSale', '000'],
    ['securityCode', '000000000'],
  ] as const)('refuses a context with %s "%s"', (field, value) => {
    // Act & Assess
    expect(() => buildRfeXml(computed(), { ...demoContext, [field]: value })).toThrow(RfeContextError);
  });
  it('escapes ampersands that look like entities, so text round-trips exactly', () => {
    // Prepare: xmlbuilder2 leaves "&T;" and "&amp;" unescaped, which breaks or alters the text
    const description = 'AT&T; literal &amp; x <y>';
    const raw = invoice({
      items: [{ description, quantity: '1', unitPrice: '100.00', itbmsRate: '7' }],
    });

    // Act
    const { xml } = buildRfeXml(computed(raw), demoContext);

    // Assess
    expect(text(parseXml(xml), 'dDescProd')).toBe(description);
  });
});
