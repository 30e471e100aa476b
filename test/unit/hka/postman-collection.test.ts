/**
 * HKA's official demo requests (shared/spec/hka/DEMO.postman_collection.json), posted unchanged over HTTP
 * except for the tokens. The documents the follow-up examples name (0000-001-9992529168, …) are created
 * first through our client so those examples meet an existing document, as they would at HKA demo.
 *
 * Two examples carry placeholders HKA expects the reader to replace — RastreoCorreo's `CUFEDOCUMENTO`
 * and ConsultarRucDV's `1-NATURAL, 2-JURIDICO` / `RUC` — so HKA itself would reject them; the test
 * asserts that specific rejection, then posts them again with real values.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDocumento } from './fixtures.ts';
import { type Harness, startHarness } from './harness.ts';
import { startLocalSes } from './ses-local.ts';

type PostmanItem = {
  name: string;
  request: { header: { key: string; value: string }[]; body: { raw: string } };
};
const collection = JSON.parse(
  readFileSync(new URL('../../../../shared/spec/hka/DEMO.postman_collection.json', import.meta.url), 'utf8'),
) as { item: PostmanItem[] };

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

describe('HKA demo Postman collection against the sandbox', () => {
  let ses: Awaited<ReturnType<typeof startLocalSes>>;
  let h: Harness;
  let emailedCufe = '';

  beforeAll(async () => {
    ses = await startLocalSes();
    h = await startHarness({ seed: 9, sesEndpoint: ses.endpoint });
    for (const [numero, punto, sucursal] of [
      ['9992529168', '001', '0000'],
      ['9992529178', '001', '0000'],
      ['0076660568', '003', '0000'],
      ['0000000079', '222', '0001'],
    ] as const) {
      const sent = await h.client.enviar(h.credentials, sampleDocumento({ numero, punto, sucursal }));
      if (numero === '0000000079') emailedCufe = sent.authorization.cufe;
    }
  });
  afterAll(async () => {
    await h.close();
    await ses.close();
  });

  const post = async (name: string, replace: Record<string, string> = {}) => {
    const item = collection.item.find((i) => i.name === name)!;
    let body = item.request.body.raw
      .replaceAll('TOKENEMPRESA', h.credentials.tokenEmpresa)
      .replaceAll('TOKENPASSWORD', h.credentials.tokenPassword);
    for (const [from, to] of Object.entries(replace)) body = body.replaceAll(from, to);
    const headers = Object.fromEntries(item.request.header.map((x) => [x.key, x.value]));
    const res = await fetch(h.sandbox.url, { method: 'POST', headers, body });
    const xml = await res.text();
    const operation = headers.SOAPAction!.replace(/"/g, '').split('/').pop()!;
    const envelope = parser.parse(xml).Envelope;
    const response = envelope.Body[`${operation}Response`];
    expect(xml).toContain(`<${operation}Response xmlns="http://tempuri.org/"><${operation}Result xmlns:a=`);
    return { status: res.status, xml, result: response[`${operation}Result`] as Record<string, unknown> };
  };

  it('has the nine requests', () => {
    expect(collection.item.map((i) => i.name)).toEqual([
      'Enviar',
      'EstadoDocumento',
      'Anulacion',
      'DescargaXML',
      'FoliosRestantes',
      'EnvioCorreo',
      'DescargaPDF',
      'RastreoCorreo',
      'ConsultarRucDV',
    ]);
  });

  it('Enviar: the example is internally consistent and is authorized (200)', async () => {
    // Its empty tags (<tipoVenta/>, <correoElectronico1/>) count as "not informed", its CDATA is text,
    // its 8-digit number is padded, and the arithmetic holds (100.00 + 7 % = 107.00, paid 100 + 7).
    const { status, xml, result } = await post('Enviar');
    expect(status).toBe(200);
    expect(result.codigo).toBe('200');
    expect(result.resultado).toBe('procesado');
    expect(String(result.cufe)).toHaveLength(66);
    expect(String(result.nroProtocoloAutorizacion)).toHaveLength(40);
    expect(xml).toContain('<a:fechaLimite i:nil="true"/>');
    expect(xml).toContain('xmlns:a="http://schemas.datacontract.org/2004/07/Services.Response"');
  });

  it('EstadoDocumento: 200 Autorizada', async () => {
    const { result } = await post('EstadoDocumento');
    expect(result).toMatchObject({
      codigo: '200',
      estatusDocumento: 'Autorizada',
      mensajeDocumento: 'Autorizado el uso de la FE',
    });
  });

  it('Anulacion: 200', async () => {
    const { result } = await post('Anulacion');
    expect(result).toMatchObject({ codigo: '200', mensaje: 'Proceso de Anulación ejecutado con éxito.' });
  });

  it('DescargaXML and DescargaPDF: 200 with base64 content', async () => {
    const xml = await post('DescargaXML');
    expect(xml.result.codigo).toBe('200');
    expect(Buffer.from(String(xml.result.documento), 'base64').toString('utf8')).toMatch(/^<\?xml/);
    const pdf = await post('DescargaPDF');
    expect(pdf.result.codigo).toBe('200');
    expect(Buffer.from(String(pdf.result.documento), 'base64').subarray(0, 5).toString('latin1')).toBe(
      '%PDF-',
    );
  });

  it('FoliosRestantes: 200 with the counters', async () => {
    const { result } = await post('FoliosRestantes');
    expect(result.codigo).toBe('200');
    expect(Number(result.foliosUtilizadosCiclo)).toBe(5);
    expect(result.foliosDisponibleCiclo).toBeDefined();
  });

  it('EnvioCorreo: 200 and an e-mail reaches SES', async () => {
    const { result } = await post('EnvioCorreo');
    expect(result).toMatchObject({ codigo: '200', mensaje: 'Se ha enviado satisfactoriamente el email.' });
    expect(JSON.stringify(await ses.emails())).toContain('correo@mail.com');
  });

  it('RastreoCorreo: the placeholder CUFE is rejected; with a real CUFE the e-mail is listed', async () => {
    const placeholder = await post('RastreoCorreo');
    expect(placeholder.result).toMatchObject({ codigo: '201', resultado: 'error' });
    const real = await post('RastreoCorreo', { CUFEDOCUMENTO: emailedCufe });
    expect(real.result.codigo).toBe('200');
    expect(JSON.stringify(real.result)).toContain('correo@mail.com');
  });

  it('ConsultarRucDV: the placeholder tipoRuc is rejected; with real values the DV comes back', async () => {
    const placeholder = await post('ConsultarRucDV');
    expect(placeholder.result).toMatchObject({ codigo: '201' });
    expect(String(placeholder.result.mensaje)).toMatch(/^El campo tipoRuc es inválido/);
    const real = await post('ConsultarRucDV', {
      '1-NATURAL, 2-JURIDICO': '2',
      '>RUC<': '>155596713-2-2015<',
    });
    expect(real.result).toMatchObject({ codigo: '200', infoRuc: { dv: '59', ruc: '155596713-2-2015' } });
  });
});
