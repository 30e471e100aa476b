/**
 * One or more mutations per catalogue rule. Each breaks a valid document in the rule's way, on our model
 * (`model`, for the pre-flight) and on HKA's documento (`documento`, for the sandbox). `documento`-only
 * rules have no model mutation: our builder never writes what they refuse, which the valid examples prove.
 * Most of the arithmetic cannot be broken from our model, only by a computation bug: `computed` plays it,
 * changing what the computation returns — the pre-flight then validates the document with it, and the
 * sandbox receives the documento our builder makes of it.
 */
import type { ComputedDocument } from '#shared/fiscal/compute';
import { buildCufe } from '#shared/fiscal/cufe';
import type { HkaDocumento } from '#shared/fiscal/hka-documento';
import type { DocumentInputRaw } from '#shared/fiscal/model';

type Raw = DocumentInputRaw;

/** A credit note (04) of the demo issuer dated 2026-11-01, the date of the examples' references. */
const CREDIT_NOTE_CUFE = buildCufe({
  documentType: '04',
  rucType: '2',
  ruc: '155596713-2-2015',
  dv: '59',
  branch: '0000',
  date: '20261101',
  number: '0000000007',
  pointOfSale: '001',
  emissionType: '01',
  environment: '2',
  securityCode: '999888777',
});

export type Mutation = {
  ruleId: string;
  /** The valid example (examples/documents) it starts from. */
  base: string;
  /** Our model's path the pre-flight must name. */
  path?: string;
  model?: (raw: Raw) => Raw;
  /** A computation bug: what the computation returns for the base, changed. */
  computed?: (document: ComputedDocument) => void;
  /** HKA's documento of the base, changed (after `computed`, when both are given). */
  documento?: (documento: HkaDocumento) => void;
};

const node = (tree: HkaDocumento, key: string): HkaDocumento => tree[key] as HkaDocumento;
const first = (tree: HkaDocumento, wrapper: string, element: string): HkaDocumento => {
  const found = node(tree, wrapper)[element];
  return (Array.isArray(found) ? found[0] : found) as HkaDocumento;
};
const trx = (documento: HkaDocumento) => node(documento, 'datosTransaccion');
const cliente = (documento: HkaDocumento) => node(trx(documento), 'cliente');
const exportacion = (documento: HkaDocumento) => node(trx(documento), 'datosFacturaExportacion');
const firstItem = (documento: HkaDocumento) => first(documento, 'listaItems', 'item');
const firstPago = (documento: HkaDocumento) =>
  first(node(documento, 'totalesSubTotales'), 'listaFormaPago', 'formaPago');
const firstRef = (documento: HkaDocumento) =>
  first(trx(documento), 'listaDocsFiscalReferenciados', 'docFiscalReferenciado');

const withReceiver = (raw: Raw, changes: Partial<Raw['receiver']>): Raw => ({
  ...raw,
  receiver: { ...raw.receiver, ...changes } as Raw['receiver'],
});
const withReferences = (raw: Raw, changes: Partial<NonNullable<Raw['references']>[number]>): Raw => ({
  ...raw,
  references: (raw.references ?? []).map((ref) => ({ ...ref, ...changes })),
});
/** The CUFE of the credit note's reference with its check digit changed. */
const brokenCufe = (cufe: string) => `${cufe.slice(0, -1)}${cufe.endsWith('0') ? '1' : '0'}`;
const withReferenceDate = (raw: Raw, issuedAt: string): Raw => ({
  ...raw,
  references: (raw.references ?? []).map((ref) => ({ ...ref, issuedAt })),
});

export const mutations: Mutation[] = [
  {
    ruleId: 'document-type.nature-table',
    base: 'invoice-taxpayer.json',
    path: 'operationNature',
    model: (raw) => ({ ...raw, operationNature: 'return' }),
    documento: (d) => {
      trx(d).naturalezaOperacion = '11';
    },
  },
  {
    ruleId: 'document-type.destination',
    base: 'invoice-foreign-receiver.json',
    path: 'destination',
    model: (raw) => ({ ...raw, destination: 'abroad' }),
    documento: (d) => {
      trx(d).destinoOperacion = '2';
    },
  },
  {
    ruleId: 'document-type.destination-table',
    base: 'import-invoice.json',
    path: 'destination',
    // HKA's own import example: destino 1 (so the receiver's country is PA).
    model: (raw) => withReceiver({ ...raw, destination: 'panama' }, { country: 'PA' }),
    documento: (d) => {
      trx(d).destinoOperacion = '1';
      cliente(d).pais = 'PA';
    },
  },
  {
    ruleId: 'document-type.operation-type-table',
    base: 'import-invoice.json',
    path: 'operationType',
    model: (raw) => ({ ...raw, operationType: 'outgoing' }),
    documento: (d) => {
      trx(d).tipoOperacion = '1';
    },
  },
  {
    ruleId: 'export.foreign-receiver',
    base: 'export-invoice.json',
    path: 'receiver.type',
    model: (raw) => ({
      ...raw,
      receiver: { type: 'final-consumer', name: 'Comprador local', country: 'US' },
    }),
    documento: (d) => {
      cliente(d).tipoClienteFE = '02';
      for (const key of ['tipoIdentificacion', 'nroIdentificacionExtranjero', 'paisExtranjero']) {
        delete cliente(d)[key];
      }
    },
  },
  {
    ruleId: 'export.exchange-rate-required',
    base: 'export-invoice.json',
    path: 'export.exchangeRate',
    model: (raw) => ({ ...raw, export: { ...raw.export, incoterm: 'FOB', currency: 'EUR' } }),
    documento: (d) => {
      exportacion(d).monedaOperExportacion = 'EUR';
    },
  },
  {
    ruleId: 'export.exchange-rate-in-dollars',
    base: 'export-invoice.json',
    path: 'export.exchangeRate',
    model: (raw) => ({ ...raw, export: { ...raw.export, incoterm: 'FOB', exchangeRate: '1.00' } }),
    documento: (d) => {
      exportacion(d).tipoDeCambio = '1.00';
    },
  },
  {
    ruleId: 'receiver.name-length',
    base: 'invoice-taxpayer.json',
    path: 'receiver.name',
    model: (raw) => withReceiver(raw, { name: 'X' }),
    documento: (d) => {
      cliente(d).razonSocial = 'R'.repeat(201);
    },
  },
  {
    ruleId: 'receiver.address-length',
    base: 'invoice-taxpayer.json',
    path: 'receiver.address',
    model: (raw) => withReceiver(raw, { address: 'Ave' }),
    documento: (d) => {
      cliente(d).direccion = 'Ave';
    },
  },
  {
    ruleId: 'items.description-length',
    base: 'invoice-taxpayer.json',
    path: 'items[0].description',
    model: (raw) => ({ ...raw, items: raw.items.map((item) => ({ ...item, description: 'X' })) }),
    documento: (d) => {
      firstItem(d).descripcion = 'D'.repeat(501);
    },
  },
  {
    ruleId: 'references.within-180-days',
    base: 'credit-note-referenced.json',
    path: 'references[0].issuedAt',
    // 2026-05-01 → the note of 2026-11-22 is 205 days later (CUFE date checked by another rule).
    model: (raw) => ({
      ...withReferenceDate(raw, '2026-05-01T10:30:00-05:00'),
      issuedAt: '2026-11-22T10:00:00-05:00',
    }),
    documento: (d) => {
      firstRef(d).fechaEmisionDocFiscalReferenciado = '2026-05-01T10:30:00-05:00';
    },
  },
  {
    ruleId: 'references.not-after-emission',
    base: 'credit-note-referenced.json',
    path: 'references[0].issuedAt',
    model: (raw) => ({ ...raw, issuedAt: '2026-10-30T10:00:00-05:00' }),
    documento: (d) => {
      trx(d).fechaEmision = '2026-10-30T10:00:00-05:00';
    },
  },
  {
    ruleId: 'references.panama-offset',
    base: 'credit-note-referenced.json',
    documento: (d) => {
      firstRef(d).fechaEmisionDocFiscalReferenciado = '2026-11-01T15:30:00+00:00';
    },
  },
  {
    ruleId: 'payments.description-length',
    base: 'invoice-taxpayer.json',
    path: 'payments[0].description',
    model: (raw) => ({
      ...raw,
      payments: raw.payments.map((p) => ({ ...p, method: 'other', description: 'Canje' })),
    }),
    documento: (d) => {
      firstPago(d).formaPagoFact = '99';
      firstPago(d).descFormaPago = 'Canje';
    },
  },
  {
    ruleId: 'isc.item-zero',
    base: 'invoice-taxpayer.json',
    documento: (d) => {
      firstItem(d).tasaISC = '0.00';
      firstItem(d).valorISC = '0.00';
    },
  },
  {
    ruleId: 'isc.total-zero',
    base: 'invoice-taxpayer.json',
    documento: (d) => {
      node(d, 'totalesSubTotales').totalISC = '0.00';
    },
  },
  {
    ruleId: 'receiver.country-destination',
    base: 'invoice-taxpayer.json',
    path: 'receiver.country',
    model: (raw) => withReceiver(raw, { country: 'CR' }),
    documento: (d) => {
      cliente(d).pais = 'CR';
    },
  },
  {
    ruleId: 'receiver.juridical-final-consumer',
    base: 'invoice-final-consumer.json',
    path: 'receiver.type',
    model: (raw) => withReceiver(raw, { rucType: '2', ruc: '2588017-1-831938', dv: '20' }),
    documento: (d) => {
      Object.assign(cliente(d), {
        tipoContribuyente: '2',
        numeroRUC: '2588017-1-831938',
        digitoVerificadorRUC: '20',
      });
    },
  },
  {
    ruleId: 'dates.future-emission',
    base: 'invoice-taxpayer.json',
    path: 'issuedAt',
    model: (raw) => ({ ...raw, issuedAt: '2026-11-26T10:00:00-05:00' }),
    documento: (d) => {
      trx(d).fechaEmision = '2026-11-26T10:00:00-05:00';
    },
  },
  {
    ruleId: 'dates.past-emission',
    base: 'invoice-taxpayer.json',
    path: 'issuedAt',
    model: (raw) => ({ ...raw, issuedAt: '2026-10-01T10:00:00-05:00' }),
    documento: (d) => {
      trx(d).fechaEmision = '2026-10-01T10:00:00-05:00';
    },
  },
  {
    ruleId: 'payments.other-description',
    base: 'invoice-taxpayer.json',
    path: 'payments[0].description',
    model: (raw) => ({ ...raw, payments: raw.payments.map((p) => ({ ...p, method: 'other' })) }),
    documento: (d) => {
      firstPago(d).formaPagoFact = '99';
    },
  },
  {
    ruleId: 'contingency.start-before-emission',
    base: 'invoice-contingency.json',
    path: 'contingency.startedAt',
    model: (raw) => ({
      ...raw,
      contingency: {
        ...(raw.contingency as NonNullable<Raw['contingency']>),
        startedAt: '2026-11-22T13:00:00-05:00',
      },
    }),
    documento: (d) => {
      trx(d).fechaInicioContingencia = '2026-11-22T13:00:00-05:00';
    },
  },
  {
    ruleId: 'references.same-kind-note',
    base: 'credit-note-referenced.json',
    path: 'references[0].cufe',
    model: (raw) => ({
      ...raw,
      references: (raw.references ?? []).map((ref) => ({ ...ref, cufe: CREDIT_NOTE_CUFE })),
    }),
    documento: (d) => {
      firstRef(d).cufeFEReferenciada = CREDIT_NOTE_CUFE;
    },
  },
  {
    ruleId: 'document-type.no-sale-type-on-notes',
    base: 'credit-note-referenced.json',
    path: 'saleType',
    model: (raw) => ({ ...raw, saleType: 'ordinary' }),
    documento: (d) => {
      trx(d).tipoVenta = '1';
    },
  },
  {
    ruleId: 'export.data-required',
    base: 'export-invoice.json',
    path: 'export',
    model: ({ export: _export, ...raw }) => raw,
    documento: (d) => {
      delete trx(d).datosFacturaExportacion;
    },
  },
  {
    ruleId: 'export.data-only-abroad',
    base: 'invoice-taxpayer.json',
    path: 'export',
    model: (raw) => ({ ...raw, export: { incoterm: 'FOB' } }),
    documento: (d) => {
      trx(d).datosFacturaExportacion = { condicionesEntrega: 'FOB' };
    },
  },
  {
    ruleId: 'receiver.taxpayer-fields',
    base: 'invoice-taxpayer.json',
    path: 'receiver.ruc',
    model: (raw) => withReceiver(raw, { ruc: undefined }),
    documento: (d) => {
      delete cliente(d).numeroRUC;
    },
  },
  {
    ruleId: 'receiver.foreign-identity',
    base: 'invoice-foreign-receiver.json',
    path: 'receiver.foreignId',
    model: (raw) => withReceiver(raw, { foreignId: undefined }),
    documento: (d) => {
      for (const key of ['tipoIdentificacion', 'nroIdentificacionExtranjero', 'paisExtranjero']) {
        delete cliente(d)[key];
      }
    },
  },
  {
    ruleId: 'receiver.foreign-identity',
    base: 'invoice-taxpayer.json',
    path: 'receiver.foreignId',
    model: (raw) => withReceiver(raw, { foreignId: { type: 'other', number: '1' } }),
    documento: (d) => {
      cliente(d).tipoIdentificacion = '99';
      cliente(d).nroIdentificacionExtranjero = '1';
    },
  },
  {
    ruleId: 'receiver.ruc-dv',
    base: 'invoice-taxpayer.json',
    path: 'receiver.dv',
    model: (raw) => withReceiver(raw, { dv: '21' }),
    documento: (d) => {
      cliente(d).digitoVerificadorRUC = '21';
    },
  },
  {
    ruleId: 'receiver.government-cpbs',
    base: 'invoice-government.json',
    path: 'items[0].cpbs',
    model: (raw) => ({ ...raw, items: raw.items.map(({ cpbs: _cpbs, ...item }) => item) }),
    documento: (d) => {
      for (const key of ['codigoCPBSAbrev', 'codigoCPBS', 'unidadMedidaCPBS']) delete firstItem(d)[key];
    },
  },
  {
    ruleId: 'receiver.government-juridical',
    base: 'invoice-government.json',
    path: 'receiver.rucType',
    model: (raw) => withReceiver(raw, { rucType: '1', ruc: '8-274-125', dv: '91' }),
    documento: (d) => {
      Object.assign(cliente(d), {
        tipoContribuyente: '1',
        numeroRUC: '8-274-125',
        digitoVerificadorRUC: '91',
      });
    },
  },
  {
    ruleId: 'receiver.country-other',
    base: 'export-invoice.json',
    path: 'receiver.countryName',
    model: (raw) => withReceiver(raw, { country: 'ZZ' }),
    documento: (d) => {
      cliente(d).pais = 'ZZ';
    },
  },
  {
    ruleId: 'references.cufe-required',
    base: 'credit-note-referenced.json',
    path: 'references[0].cufe',
    model: (raw) => withReferences(raw, { cufe: undefined, paperInvoiceNumber: 'A-000123' }),
    documento: (d) => {
      delete firstRef(d).cufeFEReferenciada;
      firstRef(d).nroFacturaPapel = 'A-000123';
    },
  },
  {
    ruleId: 'references.cufe-valid',
    base: 'credit-note-referenced.json',
    path: 'references[0].cufe',
    model: (raw) => withReferences(raw, { cufe: brokenCufe(raw.references?.[0]?.cufe ?? '') }),
    documento: (d) => {
      firstRef(d).cufeFEReferenciada = brokenCufe(firstRef(d).cufeFEReferenciada as string);
    },
  },
  {
    ruleId: 'references.no-cufe-on-generic-notes',
    base: 'generic-credit-note.json',
    path: 'references[0].cufe',
    model: (raw) => withReferences(raw, { cufe: CREDIT_NOTE_CUFE, paperInvoiceNumber: undefined }),
    documento: (d) => {
      delete firstRef(d).nroFacturaPapel;
      firstRef(d).cufeFEReferenciada = CREDIT_NOTE_CUFE;
    },
  },
  {
    ruleId: 'contingency.fields',
    base: 'invoice-taxpayer.json',
    path: 'contingency.startedAt',
    model: (raw) => ({ ...raw, emissionType: 'contingency' }),
    documento: (d) => {
      trx(d).tipoEmision = '02';
    },
  },
  {
    ruleId: 'contingency.fields',
    base: 'invoice-contingency.json',
    path: 'contingency.startedAt',
    model: (raw) => ({ ...raw, emissionType: 'normal' }),
    documento: (d) => {
      trx(d).tipoEmision = '01';
    },
  },
  {
    ruleId: 'contingency.reason-length',
    base: 'invoice-contingency.json',
    path: 'contingency.reason',
    model: (raw) => ({
      ...raw,
      contingency: { ...(raw.contingency as NonNullable<Raw['contingency']>), reason: 'sin red' },
    }),
    documento: (d) => {
      trx(d).motivoContingencia = 'sin red';
    },
  },
  ...arithmeticMutations(),
];

/** The arithmetic rules (`catalogue/item-amounts.ts`, `totals.ts`, `payment-totals.ts`, …). */
function arithmeticMutations(): Mutation[] {
  const item = (d: ComputedDocument) => d.items[0] as ComputedDocument['items'][number];
  return [
    {
      ruleId: 'amounts.format',
      base: 'invoice-taxpayer.json',
      path: 'items[0]',
      computed: (d) => {
        item(d).total = '1234567890.00';
      },
    },
    {
      ruleId: 'amounts.unsigned',
      base: 'invoice-taxpayer.json',
      documento: (d) => {
        firstItem(d).precioUnitarioDescuento = '300.00';
        firstItem(d).precioItem = '-50.00';
      },
    },
    {
      ruleId: 'amounts.item-price',
      base: 'invoice-taxpayer.json',
      path: 'items[0]',
      computed: (d) => {
        item(d).price = '205.00';
      },
    },
    {
      ruleId: 'amounts.item-itbms',
      base: 'invoice-taxpayer.json',
      path: 'items[0]',
      computed: (d) => {
        item(d).itbms = '17.00';
      },
    },
    {
      ruleId: 'amounts.item-total',
      base: 'invoice-taxpayer.json',
      path: 'items[0]',
      computed: (d) => {
        item(d).total = '250.00';
      },
    },
    {
      ruleId: 'totals.net',
      base: 'invoice-taxpayer.json',
      path: 'items',
      computed: (d) => {
        d.totals.net = '250.00';
      },
    },
    {
      ruleId: 'totals.itbms',
      base: 'invoice-multiple-itbms-rates.json',
      path: 'items',
      computed: (d) => {
        d.totals.itbms = '0.00';
      },
    },
    {
      ruleId: 'totals.isc',
      base: 'invoice-isc-oti.json',
      path: 'items',
      computed: (d) => {
        d.totals.isc = '0.01';
      },
    },
    {
      ruleId: 'totals.isc',
      base: 'invoice-taxpayer.json',
      path: 'items',
      // ISC on the total while no item carries any.
      computed: (d) => {
        d.totals.isc = '5.00';
      },
    },
    {
      ruleId: 'totals.taxes',
      base: 'invoice-isc-oti.json',
      path: 'items',
      // The ITBMS alone, as if the taxable base were meant, not ITBMS + ISC + OTI.
      computed: (d) => {
        d.totals.taxes = d.totals.itbms;
      },
    },
    {
      ruleId: 'totals.items-total',
      base: 'invoice-taxpayer.json',
      path: 'items',
      computed: (d) => {
        d.totals.itemsTotal = d.totals.net;
      },
    },
    {
      ruleId: 'totals.item-count',
      base: 'invoice-taxpayer.json',
      path: 'items',
      computed: (d) => {
        d.totals.itemCount = 1;
      },
    },
    {
      ruleId: 'totals.discount',
      base: 'invoice-discounts.json',
      path: 'discounts',
      computed: (d) => {
        d.totals.discount = '0.01';
      },
    },
    {
      ruleId: 'totals.discount-within-items',
      base: 'invoice-taxpayer.json',
      path: 'discounts',
      model: (raw) => ({ ...raw, discounts: [{ description: 'Descuento total', amount: '300.00' }] }),
      documento: (d) => {
        const totales = node(d, 'totalesSubTotales');
        totales.totalDescuento = '300.00';
        totales.listaDescBonificacion = {
          descuentoBonificacion: [{ descDescuento: 'Descuento total', montoDescuento: '300.00' }],
        };
        totales.totalFactura = '-18.86';
      },
    },
    {
      ruleId: 'totals.invoice-total',
      base: 'invoice-discounts.json',
      path: 'items',
      // The global discounts left out.
      computed: (d) => {
        d.totals.total = d.totals.itemsTotal;
      },
    },
    {
      ruleId: 'totals.received',
      base: 'invoice-taxpayer.json',
      path: 'payments',
      computed: (d) => {
        d.totals.received = '300.00';
      },
    },
    {
      ruleId: 'totals.change',
      base: 'invoice-taxpayer.json',
      path: 'payments',
      computed: (d) => {
        d.totals.change = '18.86';
      },
    },
    {
      ruleId: 'totals.oti',
      base: 'invoice-isc-oti.json',
      path: 'items',
      computed: (d) => {
        d.totals.oti = [];
      },
    },
    {
      ruleId: 'totals.installments',
      base: 'invoice-taxpayer.json',
      path: 'installments',
      computed: (d) => {
        d.installments = [{ dueAt: '2026-12-22T00:00:00-05:00', amount: '500.00' }];
      },
    },
  ];
}
