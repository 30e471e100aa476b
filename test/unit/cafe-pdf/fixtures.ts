// Print-ready CAFE views used by the renderer tests (independent of the fiscal core's types).
import type { CafeItem, CafeView } from '#shared/fiscal/cafe-pdf/view';

// Real DGI test CUFE (panama-fe.md §4.3) and a QR URL of the real shape (§5): ~400 characters.
export const CUFE = 'FE012000000521-136-113133-0270062022051590000008910080125781091727';
export const QR_URL =
  'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE012000000521-136-113133-0270062022051590000008910080125781091727&iAmb=2&digestValue=s1Xv0b6nH7Zb2Zr+q0T3cIu8kq1yq0r0h7B0PqgD7lE=&jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaEZFIjoiRkUwMTIwMDAwMDA1MjEtMTM2LTExMzEzMy0wMjcwMDYyMDIyMDUxNTkwMDAwMDA4OTEwMDgwMTI1NzgxMDkxNzI3IiwiaUFtYiI6IjIiLCJkaWdlc3RWYWx1ZSI6InMxWHYwYjZuSDdaYjJacitxMFQzY0l1OGtxMXlxMHIwaDdCMFBxZ0Q3bEU9In0.3mTzW0x8b9sV2pZ4Q1rL6kN7yH5cJ0aD8fE2gB4hI6k';

export function item(n: number, overrides: Partial<CafeItem> = {}): CafeItem {
  return {
    lineNumber: String(n),
    code: `PRD-${String(n).padStart(3, '0')}`,
    description: 'Servicio de mantenimiento preventivo de equipos de aire acondicionado',
    quantity: '2',
    unit: 'und',
    unitPrice: '45.50',
    discount: '',
    itbmsRate: '7%',
    itbmsAmount: '6.37',
    lineTotal: '97.37',
    notes: '',
    ...overrides,
  };
}

export function sampleView(overrides: Partial<CafeView> = {}): CafeView {
  return {
    environment: '2',
    documentType: { code: '01', label: 'Factura de Operación Interna' },
    number: '001-0000000891',
    issuedAt: '15/05/2022 01:00:00',
    issuedAtIso: '2022-05-15T01:00:00-05:00',
    emissionTypeLabel: '',
    issuer: {
      name: 'Distribuidora Ñandú, S.A.',
      ruc: '521-136-113133',
      dv: '02',
      branchCode: '7006',
      address: 'Calle 50 y Vía España, Edificio Plaza Bella Vista, Piso 3, Bella Vista, Panamá',
      phones: ['223-4567', '6123-4567'],
      emails: ['facturacion@nandu.com.pa'],
    },
    receiver: {
      typeLabel: 'Contribuyente',
      name: 'Constructora del Istmo, S.A.',
      ruc: '155596713-2-2015',
      dv: '59',
      foreignId: '',
      address: 'Avenida Balboa, Torre BICSA, Oficina 1204',
      country: 'Panamá',
    },
    references: [],
    items: [
      item(1),
      item(2, {
        code: '',
        description: 'Filtro HEPA',
        quantity: '1.5',
        unit: 'kg',
        unitPrice: '12.345678',
        discount: '1.00',
        itbmsRate: '0%',
        itbmsAmount: '0.00',
        lineTotal: '17.02',
      }),
    ],
    itbmsByRate: [
      { rate: '0%', base: '17.02', tax: '0.00' },
      { rate: '7%', base: '91.00', tax: '6.37' },
    ],
    totals: {
      neto: '108.02',
      descuentos: '5.00',
      acarreo: '',
      seguro: '',
      itbms: '6.37',
      isc: '',
      gravado: '6.37',
      total: '109.39',
      recibido: '120.00',
      vuelto: '10.61',
    },
    payments: [
      { label: 'Efectivo', amount: '100.00' },
      { label: 'Tarjeta de crédito', amount: '20.00' },
    ],
    installments: [],
    cufe: CUFE,
    qrUrl: QR_URL,
    authorization: { protocol: '20220000000000001234', authorizedAt: '15/05/2022 01:00:05' },
    info: 'Gracias por su compra. Garantía de 30 días en mano de obra.',
    ...overrides,
  };
}

/** A single-item production document: the shape the latency target is measured on. */
export function oneItemView(): CafeView {
  return sampleView({
    environment: '1',
    items: [item(1)],
    itbmsByRate: [{ rate: '7%', base: '91.00', tax: '6.37' }],
    totals: {
      neto: '91.00',
      descuentos: '',
      acarreo: '',
      seguro: '',
      itbms: '6.37',
      isc: '',
      gravado: '6.37',
      total: '97.37',
      recibido: '97.37',
      vuelto: '',
    },
    payments: [{ label: 'Efectivo', amount: '97.37' }],
  });
}

export function manyItemsView(count: number): CafeView {
  const items = Array.from({ length: count }, (_, i) =>
    item(
      i + 1,
      i % 7 === 3
        ? { description: `${'Descripción larga del artículo que ocupa varias líneas '.repeat(3)}#${i + 1}` }
        : {},
    ),
  );
  return sampleView({ items });
}

/** Everything optional at once, at its longest: the layout must stay tidy in the worst case. */
export function edgeView(): CafeView {
  return sampleView({
    environment: '1',
    documentType: { code: '04', label: 'Nota de Crédito' },
    emissionTypeLabel: 'Contingencia (autorización de uso previa)',
    issuer: {
      name: 'Compañía Internacional de Importaciones, Exportaciones y Distribución de Productos del Istmo de Panamá, S.A.',
      ruc: '155596713-2-2015',
      dv: '59',
      branchCode: '0001',
      address: 'Zona Libre de Colón, Calle 16, Edificio 45, Local 3, Cristóbal, Colón, Colón',
      phones: ['441-2233', '441-2234', '6677-8899'],
      emails: ['ventas@importaciones-istmo.com.pa', 'contabilidad@importaciones-istmo.com.pa'],
    },
    receiver: {
      typeLabel: 'Extranjero',
      name: 'ACME Corporation International Trading Company LLC',
      ruc: '',
      dv: '',
      foreignId: 'Pasaporte X12345678 (ESTADOS UNIDOS)',
      address: '1200 Brickell Avenue, Suite 1950, Miami, Florida 33131',
      country: 'Estados Unidos',
    },
    references: [
      { issuerName: 'Compañía Internacional de Importaciones, S.A.', date: '20/11/2026', number: CUFE },
    ],
    items: [
      item(1, {
        code: 'ABCDEFGHIJKLMNOPQRST',
        description: 'Televisor LED 65" 4K UHD Smart TV con control por voz, garantía extendida de 24 meses',
        quantity: '123,456,789.123456',
        unitPrice: '999,999,999.999999',
        discount: '1,234.567891',
        itbmsRate: '15%',
        itbmsAmount: '18,518,518,518.51',
        lineTotal: '123,456,789,123.45',
      }),
      item(2, {
        description: 'Cerveza nacional 355 ml',
        itbmsRate: '10%',
        itbmsAmount: '9.10',
        lineTotal: '122.65',
        notes: 'ISC 4.55 · Acarreo 9.00 · Seguro 9.00',
      }),
    ],
    itbmsByRate: [
      { rate: '7%', base: '91.00', tax: '6.37' },
      { rate: '10%', base: '91.00', tax: '9.10' },
      { rate: '15%', base: '123,456,789,123.45', tax: '18,518,518,518.51' },
    ],
    totals: {
      neto: '123,456,789,123.45',
      descuentos: '1,000.00',
      acarreo: '25.00',
      seguro: '12.50',
      itbms: '18,518,518,518.51',
      isc: '4.55',
      gravado: '18,518,518,523.06',
      total: '99,999,999,999.99',
      recibido: '99,999,999,999.99',
      vuelto: '',
    },
    payments: [{ label: 'Crédito', amount: '99,999,999,999.99' }],
    installments: [
      { number: '1', dueDate: '20/12/2026', amount: '49,999,999,999.99' },
      { number: '2', dueDate: '20/01/2027', amount: '50,000,000,000.00' },
    ],
    info: 'Línea 1 de información adicional.\nLínea 2: condiciones de la nota de crédito por devolución parcial.',
  });
}
