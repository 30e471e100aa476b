// Fiscal core → CAFE view. Every printed figure is taken from the computed document (the same strings the
// rFE carries), only regrouped for reading; the one derived figure, ITBMS by rate, is summed from the
// already-rounded item values exactly as the DGI sums dTotITBMS.
import { dec, formatMoney2, sum } from '#shared/fiscal/amounts';
import type { ItbmsRateCode } from '#shared/fiscal/codes';
import type { ComputedDocument, ComputedItem } from '#shared/fiscal/compute';
import type { Issuer } from '#shared/fiscal/issuer';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import { groupThousands, isoInstant, optionalAmount, panamaDate, panamaDateTime } from './format';
import {
  countryLabel,
  documentTypeLabels,
  emissionTypeLabels,
  foreignIdTypeLabels,
  itbmsRateLabels,
  paymentMethodLabels,
  receiverTypeLabels,
} from './labels';
import { DRAFT_PLACEHOLDER } from './legends';
import type { CafeItbmsSummary, CafeItem, CafeLayout, CafeReceiver, CafeReference, CafeView } from './view';

/**
 * What the CAFE needs of the rFE context. `RfeContext` itself fits; the security code is not needed (it is
 * already inside the CUFE), so callers that only stored the number can render too.
 */
export type CafeContext = Pick<RfeContext, 'issuer' | 'environment' | 'number' | 'pointOfSale'>;

/** The authorization as the pipeline carries it (`PipelineState.authorization`). */
export type CafeAuthorization = { cufe: string; qr: string; protocol: string; authorizedAt: string };

export function toCafeView(
  doc: ComputedDocument,
  ctx: CafeContext,
  authorization: CafeAuthorization,
): CafeView {
  const { issuer } = ctx;
  const t = doc.totals;
  return {
    environment: ctx.environment,
    documentType: { code: doc.codes.iDoc, label: documentTypeLabels[doc.type] },
    number: `${ctx.pointOfSale}-${ctx.number}`,
    issuedAt: panamaDateTime(doc.issuedAt),
    issuedAtIso: isoInstant(doc.issuedAt),
    emissionTypeLabel: emissionTypeLabels[doc.emissionType],
    issuer: {
      name: issuer.name,
      ruc: issuer.ruc,
      dv: issuer.dv,
      branchCode: issuer.branchCode,
      address: [
        issuer.address,
        issuer.location.corregimiento,
        issuer.location.district,
        issuer.location.province,
      ].join(', '),
      phones: issuer.phones,
      emails: issuer.emails ?? [],
    },
    receiver: receiverView(doc.receiver),
    references: (doc.references ?? []).map((ref) => referenceView(ref, issuer)),
    items: doc.items.map(itemView),
    itbmsByRate: itbmsByRate(doc.items),
    totals: {
      neto: groupThousands(t.net),
      descuentos: optionalAmount(t.discount),
      acarreo: optionalAmount(t.freight),
      seguro: optionalAmount(t.insurance),
      itbms: groupThousands(t.itbms),
      isc: optionalAmount(t.isc),
      gravado: groupThousands(t.taxes),
      total: groupThousands(t.total),
      recibido: groupThousands(t.received),
      vuelto: optionalAmount(t.change),
    },
    payments: doc.payments.map((p) => ({
      // "Otro" says nothing on paper; the mandatory description of `other` does.
      label: p.method === 'other' && p.description ? p.description : paymentMethodLabels[p.method],
      amount: groupThousands(p.amount),
    })),
    installments: (doc.installments ?? []).map((inst, i) => ({
      number: String(i + 1),
      dueDate: panamaDate(inst.dueAt),
      amount: groupThousands(inst.amount),
    })),
    cufe: authorization.cufe,
    qrUrl: authorization.qr,
    authorization: {
      protocol: authorization.protocol,
      authorizedAt: panamaDateTime(authorization.authorizedAt),
    },
    info: doc.remarks ?? '',
  };
}

/**
 * The CAFE of a document that was not issued (a preview): the same figures, with a placeholder where the
 * number goes and no CUFE, QR or authorization, so nothing on it identifies a document the DGI knows of.
 */
export function toDraftCafeView(doc: ComputedDocument, ctx: Omit<CafeContext, 'number'>): CafeView {
  const view = toCafeView(
    doc,
    { ...ctx, number: '' },
    { cufe: '', qr: '', protocol: '', authorizedAt: doc.issuedAt },
  );
  return {
    ...view,
    number: DRAFT_PLACEHOLDER,
    cufe: '',
    qrUrl: '',
    authorization: { protocol: '', authorizedAt: '' },
    draft: true,
  };
}

/**
 * The CAFE of a document issued in contingency, before HKA/DGI authorized it: its own CUFE and the QR of
 * the rFE we signed, no protocol yet, and the contingency's start (`contingency.startedAt` of the document).
 */
export function toContingencyCafeView(
  doc: ComputedDocument,
  ctx: CafeContext,
  signed: { cufe: string; qr: string },
): CafeView {
  if (!doc.contingency) throw new Error('the document was not issued in contingency');
  const view = toCafeView(doc, ctx, { ...signed, protocol: '', authorizedAt: doc.issuedAt });
  return {
    ...view,
    authorization: { protocol: '', authorizedAt: '' },
    contingency: { startedAt: panamaDateTime(doc.contingency.startedAt) },
  };
}

/** Layout to print: the explicit hint, else what `iFormCAFE` declares (paper tape → ticket). */
export function cafeLayoutOf(doc: Pick<ComputedDocument, 'cafeLayout' | 'cafeFormat'>): CafeLayout {
  return doc.cafeLayout ?? (doc.cafeFormat === 'ticket' ? 'ticket' : 'letter');
}

function receiverView(r: ComputedDocument['receiver']): CafeReceiver {
  const foreign = r.foreignId;
  const foreignId = foreign
    ? `${foreignIdTypeLabels[foreign.type]} ${foreign.number}${foreign.country ? ` (${foreign.country})` : ''}`
    : '';
  const place = r.location ? [r.location.corregimiento, r.location.district, r.location.province] : [];
  return {
    typeLabel: receiverTypeLabels[r.type],
    // An anonymous final consumer has no name in the rFE; the CAFE still says who bought.
    name: r.name ?? (r.type === 'final-consumer' ? 'Consumidor final' : ''),
    ruc: r.ruc ?? '',
    dv: r.dv ?? '',
    foreignId,
    address: [r.address, ...place].filter((part): part is string => !!part).join(', '),
    country: countryLabel(r.country, r.countryName),
  };
}

function referenceView(
  ref: NonNullable<ComputedDocument['references']>[number],
  issuer: Issuer,
): CafeReference {
  const number =
    ref.cufe ??
    (ref.paperInvoiceNumber !== undefined
      ? `Factura en papel ${ref.paperInvoiceNumber}`
      : `Factura de impresora fiscal ${ref.fiscalPrinterInvoiceNumber ?? ''}`);
  return { issuerName: ref.issuer?.name ?? issuer.name, date: panamaDate(ref.issuedAt), number };
}

function itemView(item: ComputedItem): CafeItem {
  return {
    lineNumber: String(item.lineNumber),
    code: item.code ?? '',
    description: item.description,
    quantity: groupThousands(item.quantity),
    unit: item.unit ?? '',
    unitPrice: groupThousands(item.unitPrice),
    discount: optionalAmount(item.unitDiscount),
    itbmsRate: itbmsRateLabels[item.itbmsRate],
    itbmsAmount: groupThousands(item.itbms),
    lineTotal: groupThousands(item.total),
    notes: itemNotes(item),
  };
}

function itemNotes(item: ComputedItem): string {
  const otherTaxes = (item.oti ?? []).map((oti) => dec(oti.amount));
  return [
    item.isc && `ISC ${groupThousands(item.isc.amount)}`,
    otherTaxes.length > 0 && `Otros tributos ${groupThousands(formatMoney2(sum(otherTaxes)))}`,
    item.freight && `Acarreo ${groupThousands(item.freight)}`,
    item.insurance && `Seguro ${groupThousands(item.insurance)}`,
  ]
    .filter((note): note is string => typeof note === 'string' && note !== '')
    .join(' · ');
}

/** Base (Σ dPrItem) and tax (Σ dValITBMS) per rate present, in rate order (0 %, 7 %, 10 %, 15 %). */
function itbmsByRate(items: ComputedItem[]): CafeItbmsSummary[] {
  const byRate = new Map<ItbmsRateCode, ComputedItem[]>();
  for (const item of items) {
    const group = byRate.get(item.itbmsRate);
    if (group) group.push(item);
    else byRate.set(item.itbmsRate, [item]);
  }
  return [...byRate.keys()].sort().map((rate) => {
    const group = byRate.get(rate) ?? [];
    return {
      rate: itbmsRateLabels[rate],
      base: groupThousands(formatMoney2(sum(group.map((i) => dec(i.price))))),
      tax: groupThousands(formatMoney2(sum(group.map((i) => dec(i.itbms))))),
    };
  });
}
