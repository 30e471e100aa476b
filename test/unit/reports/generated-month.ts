import { readFileSync } from 'node:fs';
import type { DocumentStatus } from '#shared/data/documents';
import { dec } from '#shared/fiscal/amounts';
import { type ComputedDocument, computeDocument } from '#shared/fiscal/compute';
import { type DocumentInputRaw, documentInputSchema } from '#shared/fiscal/model';
import { ledgerOf } from '#shared/reports/ledger';
import type { LedgerDocument } from '#shared/reports/month-documents';

/**
 * A generated month of mixed documents, deterministic (a seeded generator): every document type of the
 * examples (invoices to taxpayers, final consumers and government, exports, credit and debit notes,
 * generic notes, free zone, reimbursement, import and foreign invoices), items at every ITBMS rate, exempt
 * receivers (every item at 0 %), ISC, OTI, item and document freight and insurance, global discounts.
 */
const BASES = [
  'invoice-taxpayer',
  'invoice-final-consumer',
  'invoice-government',
  'invoice-foreign-receiver',
  'invoice-isc-oti',
  'invoice-discounts',
  'export-invoice',
  'credit-note-referenced',
  'debit-note-referenced',
  'generic-credit-note',
  'generic-debit-note',
  'free-zone-invoice',
  'reimbursement',
  'import-invoice',
  'foreign-invoice',
] as const;

const examples = new Map(
  BASES.map((name) => [
    name,
    JSON.parse(readFileSync(new URL(`../../../examples/documents/${name}.json`, import.meta.url), 'utf8')),
  ]),
);

/** mulberry32: a small seeded generator, so the month is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedDocument = { computed: ComputedDocument; exemptReceiver: boolean };

export function generateMonth(count: number, seed = 20261101): GeneratedDocument[] {
  const next = random(seed);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const pick = <T>(values: readonly T[]): T => values[int(values.length - 1)] as T;
  const cents = (maxUnits: number) => `${int(maxUnits)}.${String(int(99)).padStart(2, '0')}`;
  const documents: GeneratedDocument[] = [];
  for (let n = 0; n < count; n++) {
    const base = examples.get(pick(BASES)) as DocumentInputRaw;
    const exemptReceiver = next() < 0.1;
    const government = base.receiver.type === 'government';
    const export_ = base.type === 'export-invoice';
    const items = Array.from({ length: 1 + int(6) }, () => {
      const unitPrice = `${int(999)}.${String(int(999_999)).padStart(6, '0')}`;
      return {
        description: 'Artículo generado',
        quantity: `${1 + int(40)}${next() < 0.3 ? `.${int(999)}` : ''}`,
        unitPrice,
        ...(next() < 0.2 && { unitDiscount: dec(unitPrice).times(0.1).toDecimalPlaces(6, 1).toFixed() }),
        itbmsRate: exemptReceiver || export_ ? '0' : pick(['0', '7', '7', '7', '10', '15']),
        ...(next() < 0.15 && {
          isc: next() < 0.5 ? { rate: pick(['0.05', '0.1325', '0.325']) } : { amount: cents(20) },
        }),
        ...(next() < 0.1 && { oti: [{ code: '01' as const, amount: cents(3) }] }),
        ...(next() < 0.1 && { freight: cents(30) }),
        ...(next() < 0.05 && { insurance: cents(10) }),
        ...(government && { cpbs: { segment: '14', family: '1411', unit: 'und' } }),
      };
    });
    const raw: DocumentInputRaw = {
      ...base,
      issuedAt: `2026-11-${String(1 + int(27)).padStart(2, '0')}T${String(8 + int(10)).padStart(2, '0')}:15:00-05:00`,
      items,
      ...(next() < 0.15 ? { discounts: [{ description: 'Descuento de temporada', amount: '0.50' }] } : {}),
      ...(next() < 0.05 && { freight: cents(50) }),
      ...(next() < 0.05 && { insurance: cents(20) }),
    } as DocumentInputRaw;
    if (!('discounts' in raw) || next() < 0.5) delete (raw as { discounts?: unknown }).discounts;
    const provisional = computeDocument(
      documentInputSchema.parse({ ...raw, payments: [{ method: 'cash', amount: '1' }] }),
    );
    const computed = computeDocument(
      documentInputSchema.parse({ ...raw, payments: [{ method: 'cash', amount: provisional.totals.total }] }),
    );
    documents.push({ computed, exemptReceiver });
  }
  return documents;
}

/** The generated documents as a report reads them: records with their ledger and a status. */
export function asLedgerDocuments(
  generated: readonly GeneratedDocument[],
  statusOf: (index: number) => DocumentStatus,
): LedgerDocument[] {
  return generated.map(({ computed }, i) => ({
    tenantId: 'tenant-a',
    documentId: `DOC${String(i).padStart(6, '0')}`,
    type: computed.type,
    typeCode: computed.codes.iDoc,
    emissionType: computed.codes.iTpEmis,
    status: statusOf(i),
    branch: '0000',
    pointOfSale: '001',
    number: String(i + 1).padStart(10, '0'),
    issuedAt: computed.issuedAt,
    createdBy: 'user:test',
    channel: 'hka-integration',
    environment: 'demo',
    securityCode: '123456789',
    issuer: {} as LedgerDocument['issuer'],
    receiver: { type: computed.receiver.type, ruc: computed.receiver.ruc, name: computed.receiver.name },
    totals: { ...computed.totals },
    computedKey: `tenants/tenant-a/documents/DOC${i}/computed.json`,
    attempt: 1,
    updatedAt: computed.issuedAt,
    ledger: ledgerOf(computed),
    ...(statusOf(i) === 'AUTHORIZED' && { cufe: `FE01${String(i).padStart(62, '0')}` }),
  }));
}
