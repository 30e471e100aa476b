import { type DocumentType, documentTypeCodes } from '#shared/fiscal/codes';
import { documentTypeProfiles } from '#shared/fiscal/document-types';
import type { DocumentInputRaw } from '#shared/fiscal/model';
import type { paths } from '../api/schema.gen';
import {
  type CustomerResource,
  type ForeignIdType,
  hasRuc,
  RECEIVER_TYPES,
  type ReceiverType,
  rucTypeCode,
} from './customer-form';
import type { NoteKind } from './new-document-search';
import { itbmsPercent, type ProductResource } from './product-form';

type DocumentResource =
  paths['/v1/documents/{id}']['get']['responses'][200]['content']['application/json']['data'];
/** A line of an issued document, as `GET /v1/documents/{id}/lines` gives it: an `items[]` entry of an issue. */
export type DocumentLine =
  paths['/v1/documents/{id}/lines']['get']['responses'][200]['content']['application/json']['data']['items'][number];

/** Every document type the API issues, in the DGI's order. */
export const DOCUMENT_TYPES = Object.keys(documentTypeCodes) as DocumentType[];
export { RECEIVER_TYPES };

/** Credit and debit notes point at the invoice they correct by its CUFE. */
export const needsCufeReference = (type: DocumentType) =>
  documentTypeProfiles[type].references === 'cufe-required';

type Cpbs = NonNullable<ProductResource['cpbs']>;

/** What the person types: every field a string, as inputs give them. */
export type LineDraft = {
  description: string;
  quantity: string;
  unitPrice: string;
  itbmsRate: string;
  /** Picked from the catalogue: the document records the product it came from. */
  productId?: string;
  code?: string;
  unit?: string;
  cpbs?: Cpbs;
  /** Copied from the original of a note; shown only then, as this form does not offer discounts otherwise. */
  unitDiscount?: string;
  /** The rest of an original's line this form does not show (ISC, OTI, freight, GTIN, …), issued unchanged. */
  kept?: KeptLineFields;
};
type KeptLineFields = Omit<
  DocumentLine,
  'description' | 'quantity' | 'unitPrice' | 'itbmsRate' | 'code' | 'unit' | 'cpbs' | 'unitDiscount'
>;
export type DocumentDraft = {
  documentType: DocumentType;
  receiverType: ReceiverType;
  rucType: '1' | '2';
  name: string;
  ruc: string;
  dv: string;
  address: string;
  locationCode: string;
  province: string;
  district: string;
  corregimiento: string;
  foreignIdType: ForeignIdType;
  foreignIdNumber: string;
  foreignIdCountry: string;
  country: string;
  email: string;
  /** Picked from the catalogue: the document records the customer it was issued to. */
  customerId?: string;
  /** The document a note corrects (`?from=`): its CUFE and emission time. */
  from?: string;
  referenceCufe: string;
  referenceIssuedAt: string;
  incoterm: string;
  items: LineDraft[];
  paymentMethod: 'cash' | 'debit-card' | 'credit-card' | 'transfer' | 'credit';
  /** One key per draft: a double click, a retry or a re-sign-in sends the same issue once. */
  idempotencyKey: string;
};

export const emptyLine = (): LineDraft => ({ description: '', quantity: '1', unitPrice: '', itbmsRate: '7' });

export function emptyDraft(): DocumentDraft {
  return {
    documentType: 'invoice',
    receiverType: 'final-consumer',
    rucType: '2',
    name: '',
    ruc: '',
    dv: '',
    address: '',
    locationCode: '',
    province: '',
    district: '',
    corregimiento: '',
    foreignIdType: 'passport',
    foreignIdNumber: '',
    foreignIdCountry: '',
    country: 'PA',
    email: '',
    referenceCufe: '',
    referenceIssuedAt: '',
    incoterm: '',
    items: [emptyLine()],
    paymentMethod: 'cash',
    idempotencyKey: crypto.randomUUID(),
  };
}

/** The receiver of a catalogue customer, copied into the draft (the customer stays referenced by id). */
export function withCustomer(draft: DocumentDraft, customer: CustomerResource): DocumentDraft {
  return {
    ...draft,
    customerId: customer.id,
    receiverType: customer.type,
    rucType: rucTypeCode(customer.rucType),
    name: customer.name,
    ruc: customer.ruc ?? '',
    dv: customer.dv ?? '',
    address: customer.address ?? '',
    locationCode: customer.location?.code ?? '',
    province: customer.location?.province ?? '',
    district: customer.location?.district ?? '',
    corregimiento: customer.location?.corregimiento ?? '',
    foreignIdType: customer.foreignId?.type ?? 'passport',
    foreignIdNumber: customer.foreignId?.number ?? '',
    foreignIdCountry: customer.foreignId?.country ?? '',
    country: customer.country,
    email: customer.emails?.[0] ?? '',
  };
}

/** A catalogue product on a line: its description, price, rate, code, unit and CPBS; the quantity stays. */
export function withProduct(line: LineDraft, product: ProductResource): LineDraft {
  return {
    description: product.description,
    quantity: line.quantity,
    unitPrice: String(product.unitPrice),
    itbmsRate: itbmsPercent(String(product.itbmsRate)),
    productId: product.id,
    code: product.code,
    ...(product.unit ? { unit: product.unit } : {}),
    ...(product.cpbs ? { cpbs: product.cpbs } : {}),
  };
}

/** A line of the original as the form edits it: every shown field a string, the ITBMS rate in percent. */
export function lineDraftOf(line: DocumentLine): LineDraft {
  const { description, quantity, unitPrice, itbmsRate, code, unit, cpbs, unitDiscount, ...rest } = line;
  return {
    description,
    quantity: String(quantity),
    unitPrice: String(unitPrice),
    itbmsRate: itbmsPercent(String(itbmsRate)),
    ...(code !== undefined && { code }),
    ...(unit !== undefined && { unit }),
    ...(cpbs !== undefined && { cpbs }),
    ...(unitDiscount !== undefined && { unitDiscount: String(unitDiscount) }),
    ...(Object.keys(rest).length > 0 && { kept: rest }),
  };
}

/**
 * A credit or debit note of `original`: its receiver (the catalogue customer's, when it was issued to one,
 * else the part of the receiver the document shows), its CUFE and emission time as the reference, and a copy
 * of its lines, which the person then trims to what the note corrects.
 */
export function noteDraftOf(
  original: Pick<DocumentResource, 'id' | 'receiver' | 'cufe' | 'issuedAt'>,
  customer: CustomerResource | undefined,
  kind: NoteKind,
  lines: readonly DocumentLine[],
): DocumentDraft {
  const base = {
    ...emptyDraft(),
    documentType: kind,
    from: original.id,
    paymentMethod: 'credit' as const,
    ...(lines.length > 0 && { items: lines.map(lineDraftOf) }),
  };
  const receiver = customer
    ? withCustomer(base, customer)
    : {
        ...base,
        receiverType: RECEIVER_TYPES.find((type) => type === original.receiver.type) ?? 'final-consumer',
        name: original.receiver.name ?? '',
        ruc: original.receiver.ruc ?? '',
        email: original.receiver.emails?.[0] ?? '',
      };
  return { ...receiver, referenceCufe: original.cufe ?? '', referenceIssuedAt: original.issuedAt };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

function receiverOf(draft: DocumentDraft): DocumentInputRaw['receiver'] {
  const emails = optional(draft.email) ? { emails: [draft.email.trim()] } : {};
  if (hasRuc(draft.receiverType))
    return {
      type: draft.receiverType,
      rucType: draft.rucType,
      ruc: draft.ruc.trim(),
      dv: draft.dv.trim(),
      name: draft.name.trim(),
      address: draft.address.trim(),
      location: {
        code: draft.locationCode.trim(),
        province: draft.province.trim(),
        district: draft.district.trim(),
        corregimiento: draft.corregimiento.trim(),
      },
      ...emails,
    };
  if (draft.receiverType === 'foreign')
    return {
      type: 'foreign',
      name: draft.name.trim(),
      foreignId: {
        type: draft.foreignIdType,
        number: draft.foreignIdNumber.trim(),
        ...(optional(draft.foreignIdCountry) ? { country: draft.foreignIdCountry.trim() } : {}),
      },
      ...(optional(draft.address) ? { address: draft.address.trim() } : {}),
      country: draft.country.trim(),
      ...emails,
    };
  return { type: 'final-consumer', name: optional(draft.name) ?? 'CONSUMIDOR FINAL', ...emails };
}

/**
 * The document of a draft, as the fiscal core checks it (in the browser and in the API); `paid` is the amount
 * of its single payment (the document's total).
 */
export function bodyOf(draft: DocumentDraft, paid: string): DocumentInputRaw {
  const documentType = draft.documentType ?? 'invoice';
  return {
    type: documentType,
    receiver: receiverOf(draft),
    ...(documentType === 'export-invoice' ? { export: { incoterm: draft.incoterm.trim() } } : {}),
    ...(needsCufeReference(documentType)
      ? { references: [{ cufe: draft.referenceCufe.trim(), issuedAt: draft.referenceIssuedAt.trim() }] }
      : {}),
    items: draft.items.map((line) => ({
      ...line.kept,
      description: line.description.trim(),
      ...(line.code ? { code: line.code } : {}),
      unit: line.unit ?? 'und',
      quantity: line.quantity.trim(),
      unitPrice: line.unitPrice.trim(),
      ...(line.unitDiscount !== undefined && { unitDiscount: line.unitDiscount.trim() }),
      itbmsRate: line.itbmsRate,
      ...(line.cpbs ? { cpbs: line.cpbs } : {}),
    })),
    payments: [{ method: draft.paymentMethod, amount: paid }],
  };
}

export type DocumentRequest = NonNullable<
  paths['/v1/documents']['post']['requestBody']
>['content']['application/json'];

/**
 * What is sent to the API: the document of the draft, with the catalogue customer and products it was built
 * from named by id (the fields given override theirs, so what was checked is what is issued).
 */
export function requestOf(draft: DocumentDraft, paid: string): DocumentRequest {
  const body = bodyOf(draft, paid);
  return {
    ...body,
    receiver: draft.customerId ? { ...body.receiver, customerId: draft.customerId } : body.receiver,
    items: body.items.map((item, index) => {
      const productId = draft.items[index]?.productId;
      return productId ? { ...item, productId } : item;
    }),
  } as DocumentRequest;
}

/** A kept draft (kept-drafts.ts) of this form, if its shape is still this form's; newer fields take their empty values. */
export function acceptDraft(value: unknown): DocumentDraft | undefined {
  const draft = value as Partial<DocumentDraft> | null;
  return draft &&
    typeof draft === 'object' &&
    Array.isArray(draft.items) &&
    typeof draft.idempotencyKey === 'string'
    ? { ...emptyDraft(), ...draft, items: draft.items, idempotencyKey: draft.idempotencyKey }
    : undefined;
}
