import type { DocumentInputRaw } from '#shared/fiscal/model';

/** What the person types: every field a string, as inputs give them. */
export type LineDraft = { description: string; quantity: string; unitPrice: string; itbmsRate: string };
export type DocumentDraft = {
  receiverType: 'final-consumer' | 'taxpayer';
  name: string;
  ruc: string;
  dv: string;
  address: string;
  locationCode: string;
  province: string;
  district: string;
  corregimiento: string;
  email: string;
  items: LineDraft[];
  paymentMethod: 'cash' | 'debit-card' | 'credit-card' | 'transfer' | 'credit';
  /** One key per draft: a double click, a retry or a re-sign-in sends the same issue once. */
  idempotencyKey: string;
};

export const emptyLine = (): LineDraft => ({ description: '', quantity: '1', unitPrice: '', itbmsRate: '7' });

export function emptyDraft(): DocumentDraft {
  return {
    receiverType: 'final-consumer',
    name: '',
    ruc: '',
    dv: '',
    address: '',
    locationCode: '',
    province: '',
    district: '',
    corregimiento: '',
    email: '',
    items: [emptyLine()],
    paymentMethod: 'cash',
    idempotencyKey: crypto.randomUUID(),
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The issuing body of a draft; `paid` is the amount of its single payment (the document's total). */
export function bodyOf(draft: DocumentDraft, paid: string): DocumentInputRaw {
  const receiver: DocumentInputRaw['receiver'] =
    draft.receiverType === 'taxpayer'
      ? {
          type: 'taxpayer',
          rucType: '2',
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
          ...(optional(draft.email) ? { emails: [draft.email.trim()] } : {}),
        }
      : {
          type: 'final-consumer',
          name: optional(draft.name) ?? 'CONSUMIDOR FINAL',
          ...(optional(draft.email) ? { emails: [draft.email.trim()] } : {}),
        };
  return {
    type: 'invoice',
    receiver,
    items: draft.items.map((line) => ({
      description: line.description.trim(),
      unit: 'und',
      quantity: line.quantity.trim(),
      unitPrice: line.unitPrice.trim(),
      itbmsRate: line.itbmsRate,
    })),
    payments: [{ method: draft.paymentMethod, amount: paid }],
  };
}

/** Where a draft waits in this tab while its author signs in again (never tokens: only what they typed). */
export const DRAFT_KEY = 'factu.draft.new-document';

export function loadDraft(storage: Pick<Storage, 'getItem'>): DocumentDraft | undefined {
  try {
    const draft = JSON.parse(storage.getItem(DRAFT_KEY) ?? 'null') as DocumentDraft | null;
    return draft && Array.isArray(draft.items) && typeof draft.idempotencyKey === 'string'
      ? draft
      : undefined;
  } catch {
    return undefined;
  }
}
