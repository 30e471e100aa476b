/**
 * Test documents in HKA's `documento` shape. Amounts are consistent (brief §3.9) so the sandbox accepts
 * them; tests break them on purpose where needed.
 */
import type { DatosDocumento, HkaDocumento } from '#shared/hka/types';

export type SampleOptions = { numero: string; punto?: string; sucursal?: string; fechaEmision?: string };

/** Panama local now as `YYYY-MM-DDThh:mm:ss-05:00`. */
export function panamaNow(offsetMs = 0): string {
  return `${new Date(Date.now() + offsetMs - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;
}

/** A contribuyente invoice: two items (7 % and exempt), cash payment. */
export function sampleDocumento(options: SampleOptions): HkaDocumento {
  return {
    codigoSucursalEmisor: options.sucursal ?? '0000',
    tipoSucursal: '1',
    datosTransaccion: {
      tipoEmision: '01',
      tipoDocumento: '01',
      numeroDocumentoFiscal: options.numero,
      puntoFacturacionFiscal: options.punto ?? '001',
      fechaEmision: options.fechaEmision ?? panamaNow(),
      naturalezaOperacion: '01',
      tipoOperacion: '1',
      destinoOperacion: '1',
      formatoCAFE: '3',
      entregaCAFE: '3',
      envioContenedor: '1',
      procesoGeneracion: '1',
      tipoVenta: '1',
      cliente: {
        tipoClienteFE: '01',
        tipoContribuyente: '2',
        numeroRUC: '155596713-2-2015',
        digitoVerificadorRUC: '59',
        razonSocial: 'THE FACTORY HKA CORP',
        direccion: 'Ciudad de Panamá, Obarrio',
        codigoUbicacion: '8-8-7',
        provincia: 'Panamá',
        distrito: 'Panamá',
        corregimiento: 'Bella Vista',
        telefono1: '6000-0000',
        correoElectronico1: 'cliente@example.com',
        pais: 'PA',
      },
    },
    listaItems: {
      item: [
        {
          descripcion: 'Servicio de consultoría & soporte <anual>',
          codigo: 'SRV-001',
          unidadMedida: 'und',
          cantidad: '3.00',
          precioUnitario: '33.3333',
          precioUnitarioDescuento: '0.00',
          precioItem: '99.9999',
          valorTotal: '106.9999',
          tasaITBMS: '01',
          valorITBMS: '7.00',
        },
        {
          descripcion: 'Libro de texto',
          codigo: 'LIB-002',
          unidadMedida: 'und',
          cantidad: '1.00',
          precioUnitario: '25.00',
          precioUnitarioDescuento: '0.00',
          precioItem: '25.00',
          valorTotal: '25.00',
          tasaITBMS: '00',
          valorITBMS: '0.00',
        },
      ],
    },
    totalesSubTotales: {
      totalPrecioNeto: '125.00',
      totalITBMS: '7.00',
      totalMontoGravado: '7.00',
      totalFactura: '132.00',
      totalValorRecibido: '132.00',
      tiempoPago: '1',
      nroItems: '2',
      totalTodosItems: '132.00',
      listaFormaPago: { formaPago: [{ formaPagoFact: '02', valorCuotaPagada: '132.00' }] },
    },
  };
}

export function datosOf(numero: string, punto = '001'): DatosDocumento {
  return {
    codigoSucursalEmisor: '0000',
    numeroDocumentoFiscal: numero,
    puntoFacturacionFiscal: punto,
    tipoDocumento: '01',
    tipoEmision: '01',
  };
}
