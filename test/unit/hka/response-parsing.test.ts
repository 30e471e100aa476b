/** The client's reading of HKA answers, including forms the sandbox does not produce itself. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHkaClient } from '#shared/hka/client';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { parseHkaDate } from '#shared/hka/parse';
import { hkaResponse, startCannedServer } from './canned-server.ts';
import { datosOf, sampleDocumento } from './fixtures.ts';

const credentials = { tokenEmpresa: 'te', tokenPassword: 'tp' };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function clientAnswering(status: number, body: string) {
  const server = await startCannedServer(() => ({ status, body }));
  const client = createHkaClient({ endpoint: server.url, timeoutMs: 1_000, metrics: () => {} });
  close = async () => {
    client.close();
    await server.close();
  };
  return { client, server };
}

const CUFE = 'FE0120000155596713-2-2015-5900012019052800055000155650121566749040';

describe('HKA response parsing', () => {
  it('Enviar (wiki example): QR unescaped exactly once, +00:00 date, 20-digit protocol, nil fechaLimite', async () => {
    const { client } = await clientAnswering(
      200,
      hkaResponse(
        'Enviar',
        `<a:codigo>200</a:codigo><a:resultado>procesado</a:resultado><a:mensaje>El documento se envió correctamente.</a:mensaje><a:cufe>${CUFE}</a:cufe><a:qr>https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=${CUFE}&amp;iAmb=2&amp;digestValue=ab+c/d=&amp;jwt=x.y.z&amp;amp;keep=1</a:qr><a:fechaRecepcionDGI>2019-05-29T13:32:21+00:00</a:fechaRecepcionDGI><a:nroProtocoloAutorizacion>20190000000000179413</a:nroProtocoloAutorizacion><a:fechaLimite i:nil="true"/>`,
      ),
    );
    const result = await client.enviar(credentials, sampleDocumento({ numero: '0000000001' }));
    expect(result.authorization).toEqual({
      cufe: CUFE,
      // `&amp;amp;` is one escaping of a literal "&amp;": it stays "&amp;" (never unescaped twice).
      qr: `https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=${CUFE}&iAmb=2&digestValue=ab+c/d=&jwt=x.y.z&amp;keep=1`,
      protocol: '20190000000000179413',
      authorizedAt: '2019-05-29T13:32:21.000Z',
      authorizedAtRaw: '2019-05-29T13:32:21+00:00',
    });
  });

  it('FoliosRestantes accepts both spellings of the available-folio field', async () => {
    for (const field of ['foliosDisponibleCiclo', 'foliosDisponiblesCiclo']) {
      const { client } = await clientAnswering(
        200,
        hkaResponse(
          'FoliosRestantes',
          `<a:codigo>200</a:codigo><a:mensaje>ok</a:mensaje><a:licencia>L1</a:licencia><a:fechaLicencia>2024-01-01 / 2024-12-31</a:fechaLicencia><a:ciclo>5</a:ciclo><a:fechaCiclo>2024-05-01 / 2024-05-31</a:fechaCiclo><a:foliosTotalesCiclo>100</a:foliosTotalesCiclo><a:foliosUtilizadosCiclo>40</a:foliosUtilizadosCiclo><a:${field}>60</a:${field}><a:foliosTotales>1200</a:foliosTotales><a:resultado>procesado</a:resultado>`,
        ),
      );
      const folios = await client.foliosRestantes(credentials);
      expect(folios).toMatchObject({
        cycleTotal: 100,
        cycleUsed: 40,
        cycleAvailable: 60,
        licenceTotal: 1200,
        cycleFrom: '2024-05-01',
        cycleTo: '2024-05-31',
      });
      await close?.();
      close = undefined;
    }
  });

  it('DescargaPDF decodes base64 with line breaks into a Buffer', async () => {
    const pdf = Buffer.from('%PDF-1.4\nfake pdf bytes \u00ff\u0000');
    const wrapped = pdf.toString('base64').replace(/(.{8})/g, '$1\r\n');
    const { client } = await clientAnswering(
      200,
      hkaResponse(
        'DescargaPDF',
        `<a:codigo>200</a:codigo><a:resultado>procesado</a:resultado><a:mensaje>ok</a:mensaje><a:documento>${wrapped}</a:documento>`,
      ),
    );
    const result = await client.descargaPdf(credentials, datosOf('1'));
    expect(result.content.equals(pdf)).toBe(true);
  });

  it('EstadoDocumento dates "YYYY-MM-DD hh:mm:ss" are Panama time', async () => {
    const { client } = await clientAnswering(
      200,
      hkaResponse(
        'EstadoDocumento',
        `<a:codigo>200</a:codigo><a:mensaje>ok</a:mensaje><a:cufe>${CUFE}</a:cufe><a:fechaEmisionDocumento>2023-04-10 10:29:09</a:fechaEmisionDocumento><a:fechaRecepcionDocumento>2023-04-10 10:29:11</a:fechaRecepcionDocumento><a:estatusDocumento>Autorizada</a:estatusDocumento><a:mensajeDocumento>Autorizado el uso de la FE</a:mensajeDocumento><a:resultado>procesado</a:resultado>`,
      ),
    );
    const estado = await client.estadoDocumento(credentials, datosOf('1'));
    expect(estado).toMatchObject({
      found: true,
      emittedAt: '2023-04-10T15:29:09.000Z',
      receivedAt: '2023-04-10T15:29:11.000Z',
    });
  });

  it('an Enviar 200 without a CUFE, a body without Result, and an empty 200 are transient "unknown"', async () => {
    for (const body of [
      hkaResponse('Enviar', '<a:codigo>200</a:codigo><a:mensaje>ok</a:mensaje>'),
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
      '',
    ]) {
      const { client } = await clientAnswering(200, body);
      const error = await client
        .enviar(credentials, sampleDocumento({ numero: '1' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HkaTransientError);
      expect((error as HkaTransientError).outcome).toBe('unknown');
      await close?.();
      close = undefined;
    }
  });

  it('SOAP faults: a client fault is a rejection, a server fault is transient', async () => {
    const fault = (code: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">${code}</faultcode><faultstring xml:lang="en-US">boom</faultstring></s:Fault></s:Body></s:Envelope>`;
    const first = await clientAnswering(500, fault('a:DeserializationFailed'));
    await expect(first.client.foliosRestantes(credentials)).rejects.toBeInstanceOf(HkaRejectedError);
    await close?.();
    const second = await clientAnswering(500, fault('a:InternalServiceFault'));
    const error = await second.client.foliosRestantes(credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HkaTransientError);
    expect((error as HkaTransientError).httpStatus).toBe(500);
  });

  it('requests carry the quoted SOAPAction and the data-contract namespaces, in HKA element order', async () => {
    const { client, server } = await clientAnswering(
      200,
      hkaResponse('ConsultarRucDV', '<a:codigo>200</a:codigo>'),
    );
    await client.consultarRucDv(credentials, { tipoRuc: '2', ruc: '155596713-2-2015' });
    await client.estadoDocumento(credentials, datosOf('1')).catch(() => {});
    const doc = sampleDocumento({ numero: '0000000001' });
    // Keys given out of order and with empty optionals: the client reorders and drops them.
    const shuffled = {
      totalesSubTotales: doc.totalesSubTotales,
      listaItems: doc.listaItems,
      datosTransaccion: { ...(doc.datosTransaccion as object), tipoVenta: '', informacionInteres: null },
      codigoSucursalEmisor: '0000',
    };
    await client.enviar(credentials, shuffled).catch(() => {});

    const [ruc, estado, enviar] = server.received;
    expect(ruc!.headers.soapaction).toBe('"http://tempuri.org/IService/ConsultarRucDV"');
    expect(ruc!.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
    expect(ruc!.body).toMatch(
      /<consultarRucDVRequest><(\w+):tokenEmpresa xmlns:\1="http:\/\/schemas\.datacontract\.org\/2004\/07\/Services\.ApiRest">/,
    );
    expect(estado!.headers.soapaction).toBe('"http://tempuri.org/IService/EstadoDocumento"');
    expect(estado!.body).toContain('xmlns:q2="http://schemas.datacontract.org/2004/07/Services.Model"');
    expect(enviar!.body).toContain(
      '<Enviar xmlns="http://tempuri.org/"><tokenEmpresa>te</tokenEmpresa><tokenPassword>tp</tokenPassword><documento>',
    );
    const order = ['codigoSucursalEmisor', 'datosTransaccion', 'listaItems', 'totalesSubTotales'].map((n) =>
      enviar!.body.indexOf(`:${n}`),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(enviar!.body).not.toContain('tipoVenta');
    expect(enviar!.body).not.toContain('informacionInteres');
    expect(enviar!.body).toContain('Servicio de consultoría &amp; soporte &lt;anual&gt;');
  });
});

describe('parseHkaDate', () => {
  it.each([
    ['2019-05-29T13:32:21+00:00', '2019-05-29T13:32:21.000Z'],
    ['2024-05-24T22:27:28', '2024-05-25T03:27:28.000Z'],
    ['2023-04-10 10:29:09', '2023-04-10T15:29:09.000Z'],
    ['2024-05-24T22:27:28.123-05:00', '2024-05-25T03:27:28.123Z'],
    ['29/05/2019 13:32:21', '2019-05-29T18:32:21.000Z'],
    ['2024-05-24', '2024-05-24T05:00:00.000Z'],
  ])('%s → %s', (raw, iso) => {
    expect(parseHkaDate(raw)).toBe(iso);
  });
  it('unreadable → undefined', () => {
    expect(parseHkaDate('')).toBeUndefined();
    expect(parseHkaDate('mañana')).toBeUndefined();
  });
});
