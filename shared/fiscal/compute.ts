/**
 * Every item and total of the rFE, computed once with the DGI formulas (§3.9 of the domain brief):
 *
 *   dPrItem     = round2(dCantCodInt × (dPrUnit − dPrUnitDesc))
 *   dValITBMS   = round2(dPrItem × rate)                       (half-up)
 *   dValISC     = round2(dPrItem × dTasaISC) or the given amount
 *   dValTotItem = dPrItem + dPrAcarItem + dPrSegItem + dValITBMS + dValISC + Σ dValOTI
 *   dTotNeto = Σ dPrItem, dTotITBMS = Σ dValITBMS, dTotISC = Σ dValISC   (sums of rounded item values)
 *   dTotGravado = dTotITBMS + dTotISC + Σ OTI                 (the tax total, not the taxable base)
 *   dVTotItems  = Σ dValTotItem
 *   dVTot       = dVTotItems + dTotAcar + dTotSeg − dTotDesc
 *   dTotRec     = Σ dVlrCuota;  dVuelto = dTotRec − dVTot when positive
 *
 * Item amounts are rounded to 2 decimals before summing, so totals add up exactly and the DGI's
 * cross-checks hold to the cent. Output amounts are DGI-formatted strings.
 */
import { type Dec, dec, formatMoney2, formatMoney6, formatQuantity, round2, sum } from './amounts';
import {
  branchTypeCodes,
  cafeDeliveryCodes,
  cafeFormatCodes,
  containerDeliveryCodes,
  destinationCodes,
  documentTypeCodes,
  emissionTypeCodes,
  type ItbmsRateCode,
  itbmsRates,
  operationNatureCodes,
  operationTypeCodes,
  type PaymentTerm,
  paymentTermCodes,
  receiverTypeCodes,
  saleTypeCodes,
} from './codes';
import { documentTypeProfiles } from './document-types';
import type { DocumentInput, ItemInput } from './model';
import { parseDateTime, toPanamaDateTime } from './panama-time';

export type ComputedItem = Omit<ItemInput, 'isc' | 'oti' | 'gtin'> & {
  /** `dSecItem`, 1-based. */
  lineNumber: number;
  /** montoTipo31. */
  quantity: string;
  /** montoTipo06. */
  unitPrice: string;
  unitDiscount?: string;
  /** `dPrItem`. */
  price: string;
  /** `dPrAcarItem`, `dPrSegItem` (2 decimals). */
  freight?: string;
  insurance?: string;
  itbmsRate: ItbmsRateCode;
  /** `dValITBMS`. */
  itbms: string;
  isc?: { rate?: string; amount: string };
  oti?: { code: string; amount: string }[];
  gtin?: { code: string; quantity: string; inventoryCode: string; inventoryQuantity: string };
  /** `dValTotItem`. */
  total: string;
};

export type ComputedTotals = {
  /** dTotNeto */ net: string;
  /** dTotITBMS */ itbms: string;
  /** dTotISC, only when some item has ISC */ isc?: string;
  /** dTotGravado = ITBMS + ISC + OTI */ taxes: string;
  /** dTotDesc, only with global discounts */ discount?: string;
  /** dTotAcar */ freight?: string;
  /** dTotSeg */ insurance?: string;
  /** dVTot */ total: string;
  /** dTotRec */ received: string;
  /** dVuelto, only when positive */ change?: string;
  /** dNroItems */ itemCount: number;
  /** dVTotItems */ itemsTotal: string;
  /** gOTITotal, per OTI code */ oti: { code: string; amount: string }[];
};

/** DGI codes resolved from the friendly names (shared by the rFE builder and the HKA mapper). */
export type DgiCodes = {
  iDoc: string;
  iTpEmis: string;
  iNatOp: string;
  iTipoOp: string;
  iDest: string;
  iFormCAFE: string;
  iEntCAFE: string;
  dEnvFE: string;
  /** Always 1: the taxpayer's own invoicing system (the only value HKA accepts). */
  iProGen: '1';
  iTipoTranVenta?: string;
  iTipoSuc?: string;
  iTipoRec: string;
  iPzPag: string;
};

/**
 * The parsed input with the emission date stamped, defaults resolved, every date as a DGI fechaTZ
 * (`YYYY-MM-DDThh:mm:ss-05:00`), and every computed amount as a DGI-formatted string.
 */
export type ComputedDocument = Omit<DocumentInput, 'items' | 'payments' | 'discounts'> & {
  issuedAt: string;
  operationNature: NonNullable<DocumentInput['operationNature']>;
  operationType: NonNullable<DocumentInput['operationType']>;
  destination: NonNullable<DocumentInput['destination']>;
  paymentTerm: PaymentTerm;
  items: ComputedItem[];
  payments: (DocumentInput['payments'][number] & { amount: string })[];
  discounts?: { description: string; amount: string }[];
  totals: ComputedTotals;
  codes: DgiCodes;
};

const fechaTZ = (text: string) => toPanamaDateTime(parseDateTime(text) as Date);
/** Decimals are immutable: one zero serves every absent amount instead of one parsed per item. */
const ZERO = dec('0');
const optionalDec = (value: string | undefined) => (value === undefined ? ZERO : dec(value));

type ItemAmounts = { item: ComputedItem; price: Dec; itbms: Dec; isc?: Dec; oti: Dec; total: Dec };

function computeItem(input: ItemInput, index: number): ItemAmounts {
  const quantity = dec(input.quantity);
  const unitPrice = dec(input.unitPrice);
  const unitDiscount = optionalDec(input.unitDiscount);
  const price = round2(quantity.times(unitPrice.minus(unitDiscount)));
  const itbms = round2(price.times(itbmsRates[input.itbmsRate]));
  const isc = input.isc
    ? round2(input.isc.amount !== undefined ? dec(input.isc.amount) : price.times(input.isc.rate as string))
    : undefined;
  const otis = (input.oti ?? []).map((oti) => ({ code: oti.code, amount: round2(dec(oti.amount)) }));
  const oti = sum(otis.map((o) => o.amount));
  const freight = optionalDec(input.freight);
  const insurance = optionalDec(input.insurance);
  const total = price
    .plus(freight)
    .plus(insurance)
    .plus(itbms)
    .plus(isc ?? ZERO)
    .plus(oti);

  const { isc: _isc, oti: _oti, gtin, ...rest } = input;
  const item: ComputedItem = {
    ...rest,
    lineNumber: index + 1,
    quantity: formatQuantity(quantity),
    unitPrice: formatMoney6(unitPrice),
    ...(input.unitDiscount !== undefined && { unitDiscount: formatMoney6(unitDiscount) }),
    price: formatMoney6(price),
    ...(input.freight !== undefined && { freight: formatMoney2(freight) }),
    ...(input.insurance !== undefined && { insurance: formatMoney2(insurance) }),
    itbmsRate: input.itbmsRate,
    itbms: formatMoney6(itbms),
    ...(isc !== undefined && {
      isc: { ...(input.isc?.rate !== undefined && { rate: input.isc.rate }), amount: formatMoney6(isc) },
    }),
    ...(otis.length > 0 && { oti: otis.map((o) => ({ code: o.code, amount: formatMoney6(o.amount) })) }),
    ...(gtin && {
      gtin: {
        code: gtin.code,
        quantity: formatQuantity(dec(gtin.quantity ?? input.quantity)),
        inventoryCode: gtin.inventoryCode ?? gtin.code,
        inventoryQuantity: formatQuantity(dec(gtin.inventoryQuantity ?? gtin.quantity ?? input.quantity)),
      },
    }),
    total: formatMoney6(total),
  };
  return { item, price, itbms, ...(isc !== undefined && { isc }), oti, total };
}

/** Credit only → term (2); credit plus another method → mixed (3); otherwise immediate (1). */
export function derivePaymentTerm(methods: readonly string[]): PaymentTerm {
  const credit = methods.filter((method) => method === 'credit').length;
  if (credit === 0) return 'immediate';
  return credit === methods.length ? 'term' : 'mixed';
}

export type ComputeOptions = { now?: Date };

export function computeDocument(input: DocumentInput, options: ComputeOptions = {}): ComputedDocument {
  const profile = documentTypeProfiles[input.type];
  const computedItems = input.items.map(computeItem);
  const otiByCode = new Map<string, Dec>();
  for (const { item } of computedItems) {
    for (const oti of item.oti ?? [])
      otiByCode.set(oti.code, (otiByCode.get(oti.code) ?? ZERO).plus(oti.amount));
  }

  const net = sum(computedItems.map((i) => i.price));
  const itbms = sum(computedItems.map((i) => i.itbms));
  const hasIsc = computedItems.some((i) => i.isc !== undefined);
  const isc = sum(computedItems.map((i) => i.isc ?? ZERO));
  const oti = sum(computedItems.map((i) => i.oti));
  const itemsTotal = sum(computedItems.map((i) => i.total));
  const discounts = (input.discounts ?? []).map((d) => ({
    description: d.description,
    amount: dec(d.amount),
  }));
  const discount = sum(discounts.map((d) => d.amount));
  const freight = optionalDec(input.freight);
  const insurance = optionalDec(input.insurance);
  const total = itemsTotal.plus(freight).plus(insurance).minus(discount);
  const received = sum(input.payments.map((p) => dec(p.amount)));
  const change = received.minus(total);

  const operationNature = input.operationNature ?? profile.defaults.operationNature;
  const operationType = input.operationType ?? profile.defaults.operationType;
  const destination = input.destination ?? profile.defaults.destination;
  const saleType = input.saleType ?? (profile.isNote ? undefined : 'ordinary');
  const paymentTerm = input.paymentTerm ?? derivePaymentTerm(input.payments.map((p) => p.method));
  const issuedAt = input.issuedAt ? fechaTZ(input.issuedAt) : toPanamaDateTime(options.now ?? new Date());

  const totals: ComputedTotals = {
    net: formatMoney2(net),
    itbms: formatMoney2(itbms),
    ...(hasIsc && { isc: formatMoney2(isc) }),
    taxes: formatMoney2(itbms.plus(isc).plus(oti)),
    ...(discounts.length > 0 && { discount: formatMoney2(discount) }),
    ...(input.freight !== undefined && { freight: formatMoney2(freight) }),
    ...(input.insurance !== undefined && { insurance: formatMoney2(insurance) }),
    total: formatMoney2(total),
    received: formatMoney2(received),
    ...(change.greaterThan(0) && { change: formatMoney2(change) }),
    itemCount: computedItems.length,
    itemsTotal: formatMoney2(itemsTotal),
    oti: [...otiByCode].map(([code, amount]) => ({ code, amount: formatMoney2(amount) })),
  };

  const codes: DgiCodes = {
    iDoc: documentTypeCodes[input.type],
    iTpEmis: emissionTypeCodes[input.emissionType],
    iNatOp: operationNatureCodes[operationNature],
    iTipoOp: operationTypeCodes[operationType],
    iDest: destinationCodes[destination],
    iFormCAFE: cafeFormatCodes[input.cafeFormat],
    iEntCAFE: cafeDeliveryCodes[input.cafeDelivery],
    dEnvFE: containerDeliveryCodes[input.containerDelivery],
    iProGen: '1',
    ...(saleType !== undefined && { iTipoTranVenta: saleTypeCodes[saleType] }),
    ...(input.branchType !== undefined && { iTipoSuc: branchTypeCodes[input.branchType] }),
    iTipoRec: receiverTypeCodes[input.receiver.type],
    iPzPag: paymentTermCodes[paymentTerm],
  };

  return {
    ...input,
    issuedAt,
    ...(input.departureAt !== undefined && { departureAt: fechaTZ(input.departureAt) }),
    ...(input.contingency && {
      contingency: { ...input.contingency, startedAt: fechaTZ(input.contingency.startedAt) },
    }),
    operationNature,
    operationType,
    destination,
    ...(saleType !== undefined && { saleType }),
    paymentTerm,
    ...(input.references && {
      references: input.references.map((ref) => ({ ...ref, issuedAt: fechaTZ(ref.issuedAt) })),
    }),
    ...(input.installments && {
      installments: input.installments.map((inst) => ({
        ...inst,
        dueAt: fechaTZ(inst.dueAt),
        amount: formatMoney2(dec(inst.amount)),
      })),
    }),
    ...(input.withholding && {
      withholding: { ...input.withholding, amount: formatMoney2(dec(input.withholding.amount)) },
    }),
    ...(input.freight !== undefined && { freight: formatMoney2(freight) }),
    ...(input.insurance !== undefined && { insurance: formatMoney2(insurance) }),
    items: computedItems.map((i) => i.item),
    payments: input.payments.map((p) => ({ ...p, amount: formatMoney2(dec(p.amount)) })),
    ...(discounts.length > 0 && {
      discounts: discounts.map((d) => ({ description: d.description, amount: formatMoney2(d.amount) })),
    }),
    totals,
    codes,
  };
}
