/** The DGI-standard reception (emitter-signed rFE): rEnviFe → rProtFe, at POST /pac/recepcion. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentCufe } from '#local/hka-sandbox/authorization';
import { buildUnsignedRfe } from '#local/hka-sandbox/rfe-from-documento';
import type { XmlObject } from '#local/hka-sandbox/soap-io';
import { buildQrUrl } from '#shared/fiscal/qr';
import { validateAgainst } from '#shared/fiscal/xsd';
import { HkaRejectedError } from '#shared/hka/errors';
import { createPacReceptionClient } from '#shared/hka/pac-reception-client';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml } from '#shared/signing/xmldsig';
import { datosOf, sampleDocumento } from './fixtures.ts';
import { type Harness, startHarness } from './harness.ts';

describe('PAC reception of emitter-signed documents', () => {
  let h: Harness;
  let identity: { signer: LocalKeySigner; certificatePem: string };
  beforeAll(async () => {
    h = await startHarness({ seed: 31 });
    const tenant = h.sandbox.state.data.tenants[0]!;
    const cert = generateTestCertificate({ ruc: tenant.ruc, dv: tenant.dv, name: tenant.name });
    identity = { signer: new LocalKeySigner(cert.privateKeyPem), certificatePem: cert.certificatePem };
  });
  afterAll(async () => h.close());

  /** An rFE signed by the emitter, as the product's PAC-direct path would produce it. */
  async function signedRfe(numero: string, tamper?: (unsigned: string) => string, cufeOverride?: string) {
    const tenant = h.sandbox.state.data.tenants[0]!;
    const documento = sampleDocumento({ numero }) as unknown as XmlObject;
    const trx = documento.datosTransaccion as Record<string, string>;
    const securityCode = '123456789';
    const cufe =
      cufeOverride ??
      buildDocumentCufe({
        tipoDocumento: '01',
        rucType: tenant.rucType,
        ruc: tenant.ruc,
        dv: tenant.dv,
        sucursal: '0000',
        fechaEmision: trx.fechaEmision!,
        numero,
        punto: '001',
        tipoEmision: '01',
        securityCode,
      });
    const unsigned = buildUnsignedRfe(documento, { cufe, securityCode, tenant });
    const signed = await signRfeXml(tamper ? tamper(unsigned) : unsigned, identity, {
      qrUrl: (digestValue) =>
        buildQrUrl({ cufe, environment: '2', digestValue, secret: 'emitter-qr-secret' }),
    });
    return { ...signed, cufe };
  }

  const escapeText = (xml: string) => xml.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  async function send(xFe: string, fields: { dId?: string; iAmb?: string } = {}) {
    const body = `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header><feHeaderMsg xmlns="http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE"><dVerForm>1.00</dVerForm></feHeaderMsg></soap:Header><soap:Body><feDatosMsg xmlns="http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE"><rEnviFe><dVerForm>1.00</dVerForm><dId>${fields.dId ?? '1001'}</dId><iAmb>${fields.iAmb ?? '2'}</iAmb><xFe>${escapeText(xFe)}</xFe></rEnviFe></feDatosMsg></soap:Body></soap:Envelope>`;
    const res = await fetch(h.sandbox.pacReceptionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
      body,
    });
    const xml = await res.text();
    const rProtFe = /<rProtFe[\s\S]*<\/rProtFe>/.exec(xml)![0];
    const code = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(rProtFe)?.[1];
    return {
      status: res.status,
      rProtFe,
      code: code('dCodRes'),
      message: code('dMsgRes'),
      cufe: code('dCUFE'),
      protocol: code('dProAut'),
      digest: code('dDigVal'),
    };
  }

  it('authorizes a valid signed rFE with 0260 and a schema-valid rProtFe', async () => {
    const signed = await signedRfe('0000000501');
    const answer = await send(signed.xml);
    expect(answer.status).toBe(200);
    expect(answer).toMatchObject({
      code: '0260',
      message: 'Autorizado el uso de la FE',
      cufe: signed.cufe,
      digest: signed.digestValue,
    });
    expect(answer.protocol).toMatch(/^\d{20}$/);
    expect(validateAgainst('ProtProcesFE_v1.00.xsd', `<?xml version="1.0"?>${answer.rProtFe}`)).toEqual({
      valid: true,
    });

    // The document now exists for the follow-up operations; DescargaXML returns it as signed.
    const estado = await h.client.estadoDocumento(h.credentials, datosOf('0000000501'));
    expect(estado).toMatchObject({ found: true, cufe: signed.cufe });
    const xml = await h.client.descargaXml(h.credentials, datosOf('0000000501'));
    expect(xml.content.toString('utf8')).toBe(signed.xml);
  });

  it('answers 1002 for a duplicate, with the original CUFE', async () => {
    const signed = await signedRfe('0000000501');
    const answer = await send(signed.xml);
    expect(answer).toMatchObject({ code: '1002' });
    expect(
      h.sandbox.state.data.documents.filter((d) => d.datos.numeroDocumentoFiscal === '0000000501'),
    ).toHaveLength(1);
  });

  it('the PAC reception client: 0260 → result, 1002 → duplicate, other codes → HkaRejectedError', async () => {
    const client = createPacReceptionClient({
      endpoint: h.sandbox.pacReceptionUrl,
      timeoutMs: 5_000,
      metrics: () => {},
    });
    try {
      const signed = await signedRfe('0000000601');
      const first = await client.send(signed.xml);
      expect(first).toMatchObject({
        duplicate: false,
        code: '0260',
        cufe: signed.cufe,
        digestValue: signed.digestValue,
      });
      expect(first.protocol).toMatch(/^\d{20}$/);
      const again = await client.send(signed.xml);
      expect(again).toMatchObject({
        duplicate: true,
        code: '1002',
        cufe: signed.cufe,
        protocol: first.protocol,
      });

      const tampered = (await signedRfe('0000000602')).xml.replace(
        '<dTotNeto>125.00</dTotNeto>',
        '<dTotNeto>1.00</dTotNeto>',
      );
      const error = await client.send(tampered).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HkaRejectedError);
      expect((error as HkaRejectedError).code).toBe('0130');
    } finally {
      client.close();
    }
  });

  it('rejects a document changed after signing (0130)', async () => {
    const signed = await signedRfe('0000000502');
    const tampered = signed.xml.replace('<dTotNeto>125.00</dTotNeto>', '<dTotNeto>1.00</dTotNeto>');
    expect(tampered).not.toBe(signed.xml);
    expect((await send(tampered)).code).toBe('0130');
  });

  it('rejects a CUFE with a wrong check digit (0140) and one that does not match the document (0140)', async () => {
    const good = (await signedRfe('0000000503')).cufe;
    const badDigit = `${good.slice(0, 65)}${(Number(good[65]) + 1) % 10}`;
    expect((await send((await signedRfe('0000000503', undefined, badDigit)).xml)).message).toMatch(
      /^CUFE inválido: check digit/,
    );
    const otherNumber = (await signedRfe('0000000504')).cufe;
    const answer = await send((await signedRfe('0000000503', undefined, otherNumber)).xml);
    expect(answer.code).toBe('0140');
    expect(answer.message).toContain('dNroDF');
  });

  it('rejects an rFE that is not XSD-valid and an rEnviFe that is not (0100), and production iAmb (0120)', async () => {
    const invalidRfe = await signedRfe('0000000505', (u) =>
      u.replace('<dTotNeto>', '<dTotNetoX>').replace('</dTotNeto>', '</dTotNetoX>'),
    );
    expect((await send(invalidRfe.xml)).code).toBe('0100');
    const ok = await signedRfe('0000000506');
    expect((await send(ok.xml, { dId: 'abc' })).code).toBe('0100');
    expect((await send(ok.xml, { iAmb: '1' })).code).toBe('0120');
  });
});
