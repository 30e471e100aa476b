/** WCF member order: the sandbox ignores out-of-order elements like HKA's service does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HkaDocumento } from '#shared/hka/types';
import { panamaNow, sampleDocumento } from './fixtures.ts';
import { type Harness, startHarness } from './harness.ts';

describe('element order of Enviar.documento', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 41 });
  });
  afterAll(async () => h.close());

  const envelope = (
    cliente: string,
  ) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tem="http://tempuri.org/" xmlns:ser="http://schemas.datacontract.org/2004/07/Services.ObjComprobante.v1_0"><soapenv:Body><tem:Enviar><tem:tokenEmpresa>${h.credentials.tokenEmpresa}</tem:tokenEmpresa><tem:tokenPassword>${h.credentials.tokenPassword}</tem:tokenPassword><tem:documento>
    <ser:codigoSucursalEmisor>0000</ser:codigoSucursalEmisor>
    <ser:datosTransaccion><ser:tipoEmision>01</ser:tipoEmision><ser:tipoDocumento>01</ser:tipoDocumento><ser:numeroDocumentoFiscal>0000000777</ser:numeroDocumentoFiscal><ser:puntoFacturacionFiscal>001</ser:puntoFacturacionFiscal><ser:fechaEmision>${panamaNow()}</ser:fechaEmision><ser:naturalezaOperacion>01</ser:naturalezaOperacion><ser:tipoOperacion>1</ser:tipoOperacion><ser:destinoOperacion>1</ser:destinoOperacion><ser:formatoCAFE>1</ser:formatoCAFE><ser:entregaCAFE>1</ser:entregaCAFE><ser:envioContenedor>1</ser:envioContenedor><ser:procesoGeneracion>1</ser:procesoGeneracion>
      <ser:cliente>${cliente}</ser:cliente></ser:datosTransaccion>
    <ser:listaItems><ser:item><ser:descripcion>Producto</ser:descripcion><ser:cantidad>1.00</ser:cantidad><ser:precioUnitario>10.00</ser:precioUnitario><ser:precioUnitarioDescuento>0.00</ser:precioUnitarioDescuento><ser:precioItem>10.00</ser:precioItem><ser:valorTotal>10.70</ser:valorTotal><ser:tasaITBMS>01</ser:tasaITBMS><ser:valorITBMS>0.70</ser:valorITBMS></ser:item></ser:listaItems>
    <ser:totalesSubTotales><ser:totalPrecioNeto>10.00</ser:totalPrecioNeto><ser:totalITBMS>0.70</ser:totalITBMS><ser:totalMontoGravado>0.70</ser:totalMontoGravado><ser:totalFactura>10.70</ser:totalFactura><ser:totalValorRecibido>10.70</ser:totalValorRecibido><ser:tiempoPago>1</ser:tiempoPago><ser:nroItems>1</ser:nroItems><ser:totalTodosItems>10.70</ser:totalTodosItems><ser:listaFormaPago><ser:formaPago><ser:formaPagoFact>02</ser:formaPagoFact><ser:valorCuotaPagada>10.70</ser:valorCuotaPagada></ser:formaPago></ser:listaFormaPago></ser:totalesSubTotales>
  </tem:documento></tem:Enviar></soapenv:Body></soapenv:Envelope>`;

  const post = async (xml: string) =>
    (
      await fetch(h.sandbox.url, {
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: '"http://tempuri.org/IService/Enviar"',
        },
        body: xml,
      })
    ).text();

  it('in order: accepted', async () => {
    const xml = await post(envelope('<ser:tipoClienteFE>02</ser:tipoClienteFE><ser:pais>PA</ser:pais>'));
    expect(xml).toContain('<a:codigo>200</a:codigo>');
  });

  it('pais before tipoClienteFE: tipoClienteFE is ignored and reported as missing', async () => {
    const xml = await post(
      envelope('<ser:pais>PA</ser:pais><ser:tipoClienteFE>02</ser:tipoClienteFE>').replace(
        '0000000777',
        '0000000778',
      ),
    );
    expect(xml).toContain('<a:codigo>201</a:codigo>');
    expect(xml).toContain('El campo tipoClienteFE es requerido');
    expect(xml).toContain('fuera del orden del contrato: datosTransaccion.cliente.tipoClienteFE');
  });

  it('the client always sends HKA order, whatever order the caller built', async () => {
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        );
      }
      return value;
    };
    const documento = reversed(sampleDocumento({ numero: '0000000779' })) as HkaDocumento;
    expect(Object.keys(documento)[0]).toBe('totalesSubTotales');
    await expect(h.client.enviar(h.credentials, documento)).resolves.toMatchObject({ codigo: '200' });
  });
});
