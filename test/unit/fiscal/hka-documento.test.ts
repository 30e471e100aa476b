import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type HkaDocumento, toHkaDocumento } from '#shared/fiscal/hka-documento';
import { demoContext } from './support/demo-issuer';
import { invoice, REFERENCED_CUFE } from './support/documents';
import { validate } from './support/violations';

function hka(raw = invoice()): HkaDocumento {
  const result = validate(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return toHkaDocumento(result.document, demoContext);
}
const keys = (value: unknown) => Object.keys(value as object);
const obj = (value: unknown) => value as HkaDocumento;

/** Element names of a block of HKA's official Enviar example, in order (children of `<ser:block>`). */
function officialOrder(block: string): string[] {
  const collection = readFileSync(new URL('./fixtures/hka-enviar-example.xml', import.meta.url), 'utf8');
  const body = new RegExp(`<ser:${block}>([\\s\\S]*?)</ser:${block}>`).exec(collection)?.[1] ?? '';
  const names: string[] = [];
  let depth = 0;
  for (const tag of body.matchAll(/<(\/?)ser:(\w+)(\/?)>/g)) {
    const [, closing, name, selfClosing] = tag;
    if (closing) depth--;
    else {
      if (depth === 0) names.push(name as string);
      if (!selfClosing) depth++;
    }
  }
  return names;
}

/** Keys must appear in the same relative order as in the official example. */
function expectOfficialOrder(actual: string[], official: string[]): void {
  const known = actual.filter((k) => official.includes(k));
  expect(known).toEqual(official.filter((k) => known.includes(k)));
}

describe('toHkaDocumento', () => {
  it('orders the top level, datosTransaccion, item and totals like HKA’s official example', () => {
    // Act
    const documento = hka(
      invoice({
        receiver: {
          type: 'final-consumer',
          name: 'CONSUMIDOR FINAL',
          address: 'Ciudad de Panamá',
          phones: ['235-2352'],
        },
      }),
    );
    const datos = obj(documento.datosTransaccion);

    // Assess
    expect(officialOrder('item')).toEqual([
      'descripcion',
      'codigo',
      'unidadMedida',
      'cantidad',
      'infoItem',
      'precioUnitario',
      'precioUnitarioDescuento',
      'precioItem',
      'valorTotal',
      'tasaITBMS',
      'valorITBMS',
    ]);
    expect(keys(documento)).toEqual([
      'codigoSucursalEmisor',
      'datosTransaccion',
      'listaItems',
      'totalesSubTotales',
    ]);
    expectOfficialOrder(keys(datos), officialOrder('datosTransaccion'));
    expectOfficialOrder(keys(datos.cliente), officialOrder('cliente'));
    expectOfficialOrder(keys(obj(obj(documento.listaItems).item)[0] as never), officialOrder('item'));
    expectOfficialOrder(keys(documento.totalesSubTotales), officialOrder('totalesSubTotales'));
  });

  it('maps the values of a simple invoice', () => {
    // Act
    const documento = hka();
    const datos = obj(documento.datosTransaccion);
    const [item] = obj(documento.listaItems).item as HkaDocumento[];

    // Assess
    expect(datos).toMatchObject({
      tipoEmision: '01',
      tipoDocumento: '01',
      numeroDocumentoFiscal: demoContext.number,
      puntoFacturacionFiscal: demoContext.pointOfSale,
      fechaEmision: '2026-11-22T10:00:00-05:00',
      naturalezaOperacion: '01',
      tipoVenta: '1',
    });
    expect(item).toEqual({
      descripcion: 'Servicio de prueba',
      cantidad: '1',
      precioUnitario: '100.00',
      precioUnitarioDescuento: '0.00',
      precioItem: '100.00',
      valorTotal: '107.00',
      tasaITBMS: '01',
      valorITBMS: '7.00',
    });
    expect(documento.totalesSubTotales).toEqual({
      totalPrecioNeto: '100.00',
      totalITBMS: '7.00',
      totalMontoGravado: '7.00',
      totalFactura: '107.00',
      totalValorRecibido: '107.00',
      tiempoPago: '1',
      nroItems: '1',
      totalTodosItems: '107.00',
      listaFormaPago: { formaPago: [{ formaPagoFact: '02', valorCuotaPagada: '107.00' }] },
    });
  });

  it('sends no ISC fields when there is no ISC, and both when there is', () => {
    // Act
    const without = hka();
    const withIsc = hka(
      invoice({
        items: [
          { description: 'Bebida', quantity: '1', unitPrice: '100', itbmsRate: '7', isc: { rate: '0.05' } },
        ],
        payments: [{ method: 'cash', amount: '112' }],
      }),
    );

    // Assess
    expect(JSON.stringify(without)).not.toMatch(/ISC/);
    expect((obj(withIsc.listaItems).item as HkaDocumento[])[0]).toMatchObject({
      tasaISC: '0.05',
      valorISC: '5.00',
    });
    expect(obj(withIsc.totalesSubTotales).totalISC).toBe('5.00');
  });

  it('sends no tipoContribuyente, RUC, DV or ubicación for a foreign receiver', () => {
    // Act
    const cliente = obj(
      obj(
        hka(
          invoice({
            receiver: {
              type: 'foreign',
              name: 'Jane Doe',
              foreignId: { type: 'passport', number: 'P-1', country: 'Canadá' },
            },
          }),
        ).datosTransaccion,
      ).cliente,
    );

    // Assess
    expect(cliente).toEqual({
      tipoClienteFE: '04',
      razonSocial: 'Jane Doe',
      tipoIdentificacion: '01',
      nroIdentificacionExtranjero: 'P-1',
      paisExtranjero: 'Canadá',
      pais: 'PA',
    });
  });

  it('sends no tipoVenta on notes and lists the referenced documents', () => {
    // Act
    const datos = obj(
      hka(
        invoice({
          type: 'credit-note',
          references: [{ cufe: REFERENCED_CUFE, issuedAt: '2026-11-01T10:30:00-05:00' }],
        }),
      ).datosTransaccion,
    );

    // Assess
    expect(datos.tipoVenta).toBeUndefined();
    expect(datos.listaDocsFiscalReferenciados).toEqual({
      docFiscalReferenciado: [
        {
          fechaEmisionDocFiscalReferenciado: '2026-11-01T10:30:00-05:00',
          cufeFEReferenciada: REFERENCED_CUFE,
        },
      ],
    });
  });

  it('never sends empty values', () => {
    // Act
    const json = JSON.stringify(hka(invoice({ remarks: '' })));

    // Assess
    expect(json).not.toMatch(/:""|:\[\]|:\{\}/);
  });
});
