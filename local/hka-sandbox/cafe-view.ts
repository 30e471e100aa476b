/**
 * HKA builds the CAFE from the `documento` it received; so does the sandbox: stored documento → CafeView
 * for `#shared/fiscal/cafe-pdf` (the same renderer the product uses for contingency CAFEs).
 */

import { Dec, round2, sum } from '#shared/fiscal/amounts';
import { groupThousands, panamaDateTime } from '#shared/fiscal/cafe-pdf/format';
import {
  countryLabel,
  documentTypeLabels,
  emissionTypeLabels,
  paymentMethodLabels,
  receiverTypeLabels,
} from '#shared/fiscal/cafe-pdf/labels';
import type { CafeView } from '#shared/fiscal/cafe-pdf/view';
import {
  documentTypeCodes,
  emissionTypeCodes,
  type ItbmsRateCode,
  itbmsRates,
  paymentMethodCodes,
  receiverTypeCodes,
} from '#shared/fiscal/codes';
import { panamaLocal } from './authorization.ts';
import { child, children, text } from './soap-io.ts';
import type { SandboxTenant, StoredDocument } from './state.ts';

/** Label of a DGI code through the fiscal core's friendly-name maps. */
function labelOf<K extends string>(
  codes: Record<K, string>,
  labels: Record<K, string>,
  code: string,
): string {
  const entry = (Object.entries(codes) as [K, string][]).find(([, c]) => c === code);
  return entry ? labels[entry[0]] : code;
}

const amount = (value: string) => (value === '' ? '' : groupThousands(value));
/** '' for an absent or zero amount: the CAFE prints nothing rather than "0.00" for optional lines. */
const nonZero = (value: string) => (/^0*(\.0*)?$/.test(value) ? '' : amount(value));
const percent = (code: string) => {
  const rate = itbmsRates[code as ItbmsRateCode];
  return rate === undefined ? code : `${new Dec(rate).times(100).toFixed()}%`;
};

export function cafeViewOf(doc: StoredDocument, tenant: SandboxTenant): CafeView {
  const documento = doc.documento ?? {};
  const trx = child(documento, 'datosTransaccion');
  const cliente = child(trx, 'cliente');
  const totales = child(documento, 'totalesSubTotales');
  const items = children(child(documento, 'listaItems'), 'item');
  const tipoDoc = text(trx, 'tipoDocumento');

  const byRate = new Map<string, { base: InstanceType<typeof Dec>[]; tax: InstanceType<typeof Dec>[] }>();
  for (const item of items) {
    const rate = text(item, 'tasaITBMS');
    const entry = byRate.get(rate) ?? { base: [], tax: [] };
    entry.base.push(new Dec(text(item, 'precioItem') || '0'));
    entry.tax.push(new Dec(text(item, 'valorITBMS') || '0'));
    byRate.set(rate, entry);
  }

  return {
    environment: '2',
    documentType: { code: tipoDoc, label: labelOf(documentTypeCodes, documentTypeLabels, tipoDoc) },
    number: `${doc.datos.puntoFacturacionFiscal.padStart(3, '0')}-${doc.datos.numeroDocumentoFiscal.padStart(10, '0')}`,
    issuedAt: panamaDateTime(doc.fechaEmision),
    issuedAtIso: new Date(doc.fechaEmision).toISOString(),
    emissionTypeLabel: labelOf(emissionTypeCodes, emissionTypeLabels, doc.datos.tipoEmision),
    issuer: {
      name: tenant.name,
      ruc: tenant.ruc,
      dv: tenant.dv,
      branchCode: doc.datos.codigoSucursalEmisor,
      address: 'Ciudad de Panamá',
      phones: [],
      emails: [],
    },
    receiver: {
      typeLabel: labelOf(receiverTypeCodes, receiverTypeLabels, text(cliente, 'tipoClienteFE')),
      name: text(cliente, 'razonSocial'),
      ruc: text(cliente, 'numeroRUC'),
      dv: text(cliente, 'digitoVerificadorRUC'),
      foreignId: text(cliente, 'nroIdentificacionExtranjero'),
      address: text(cliente, 'direccion'),
      country: countryLabel(text(cliente, 'pais') || 'PA', text(cliente, 'paisOtro') || undefined),
    },
    references: children(child(trx, 'listaDocsFiscalReferenciados'), 'docFiscalReferenciado').map((ref) => ({
      issuerName: tenant.name,
      date: panamaDateTime(text(ref, 'fechaEmisionDocFiscalReferenciado')).slice(0, 10),
      number:
        text(ref, 'cufeFEReferenciada') || text(ref, 'nroFacturaPapel') || text(ref, 'nroFacturaImpFiscal'),
    })),
    items: items.map((item, i) => ({
      lineNumber: String(i + 1),
      code: text(item, 'codigo'),
      description: text(item, 'descripcion'),
      quantity: text(item, 'cantidad'),
      unit: text(item, 'unidadMedida'),
      unitPrice: amount(text(item, 'precioUnitario')),
      discount: nonZero(text(item, 'precioUnitarioDescuento')),
      itbmsRate: percent(text(item, 'tasaITBMS')),
      itbmsAmount: amount(text(item, 'valorITBMS')),
      lineTotal: amount(text(item, 'valorTotal')),
    })),
    itbmsByRate: [...byRate.entries()].map(([rate, e]) => ({
      rate: percent(rate),
      base: groupThousands(round2(sum(e.base)).toFixed(2)),
      tax: groupThousands(round2(sum(e.tax)).toFixed(2)),
    })),
    totals: {
      neto: amount(text(totales, 'totalPrecioNeto')),
      descuentos: nonZero(text(totales, 'totalDescuento')),
      acarreo: nonZero(text(totales, 'totalAcarreoCobrado')),
      seguro: nonZero(text(totales, 'valorSeguroCobrado')),
      itbms: amount(text(totales, 'totalITBMS')),
      isc: amount(text(totales, 'totalISC')),
      gravado: amount(text(totales, 'totalMontoGravado')),
      total: amount(text(totales, 'totalFactura')),
      recibido: amount(text(totales, 'totalValorRecibido')),
      vuelto: nonZero(text(totales, 'vuelto')),
    },
    payments: children(child(totales, 'listaFormaPago'), 'formaPago').map((p) => ({
      label: labelOf(paymentMethodCodes, paymentMethodLabels, text(p, 'formaPagoFact')),
      amount: amount(text(p, 'valorCuotaPagada')),
    })),
    installments: children(child(totales, 'listaPagoPlazo'), 'pagoPlazo').map((p, i) => ({
      number: String(i + 1),
      dueDate: panamaDateTime(text(p, 'fechaVenceCuota')).slice(0, 10),
      amount: amount(text(p, 'valorCuota')),
    })),
    cufe: doc.cufe,
    qrUrl: doc.qr,
    authorization: {
      protocol: doc.protocol,
      authorizedAt: panamaDateTime(`${panamaLocal(new Date(doc.receivedAt))}-05:00`),
    },
    info: text(trx, 'informacionInteres'),
  };
}
