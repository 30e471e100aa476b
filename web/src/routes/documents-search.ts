import * as z from 'zod';
import { type DocumentType, documentTypeCodes } from '#shared/fiscal/codes';
import type { paths } from '../api/schema.gen';

type DocumentStatus =
  paths['/v1/documents']['get']['responses'][200]['content']['application/json']['data']['items'][number]['status'];

/** Every status the API knows (the generated API types hold the list; the check below keeps them equal). */
export const DOCUMENT_STATUSES = [
  'PROCESSING',
  'WAITING_FOR_HKA',
  'CONTINGENCY',
  'AUTHORIZED',
  'REJECTED',
  'FAILED',
  'CANCELLED',
] as const satisfies readonly DocumentStatus[];
type Missing = Exclude<DocumentStatus, (typeof DOCUMENT_STATUSES)[number]>;
const everyStatusListed: Missing extends never ? true : Missing = true;
void everyStatusListed;

/** Every document type, in the DGI's code order. */
export const DOCUMENT_TYPES = Object.keys(documentTypeCodes) as [DocumentType, ...DocumentType[]];

/** Page sizes offered; the API's own limit is 100. */
export const PAGE_SIZES = [25, 50, 100] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The documents list's address bar: the API's list filters, each in the API's own form, checked before a
 * request is made (a hand-edited address drops the wrong filter instead of failing the page).
 */
export const documentsSearchSchema = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional().catch(undefined),
  type: z.enum(DOCUMENT_TYPES).optional().catch(undefined),
  from: date.optional().catch(undefined),
  to: date.optional().catch(undefined),
  branch: z
    .string()
    .regex(/^[a-zA-Z0-9]{4}$/)
    .optional()
    .catch(undefined),
  pointOfSale: z
    .string()
    .regex(/^[0-9]{3}$/)
    .optional()
    .catch(undefined),
  receiverRuc: z.string().trim().min(1).max(20).optional().catch(undefined),
  number: z
    .string()
    .regex(/^[0-9]{1,10}$/)
    .optional()
    .catch(undefined),
  cufe: z
    .string()
    .regex(/^FE[A-Z0-9-]{64}$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().min(2).max(200).optional().catch(undefined),
  limit: z.coerce
    .number()
    .pipe(z.union(PAGE_SIZES.map((size) => z.literal(size))))
    .optional()
    .catch(undefined),
});

export type DocumentsSearch = z.infer<typeof documentsSearchSchema>;

/** The text filters of the form, as typed: blank ones are left out of the search. */
export type DocumentsFilterDraft = Record<
  'from' | 'to' | 'branch' | 'pointOfSale' | 'receiverRuc' | 'number' | 'cufe' | 'q',
  string
>;

export function draftOf(search: DocumentsSearch): DocumentsFilterDraft {
  return {
    from: search.from ?? '',
    to: search.to ?? '',
    branch: search.branch ?? '',
    pointOfSale: search.pointOfSale ?? '',
    receiverRuc: search.receiverRuc ?? '',
    number: search.number ?? '',
    cufe: search.cufe ?? '',
    q: search.q ?? '',
  };
}

/** The search the draft asks for: trimmed, blanks dropped, anything the API would refuse dropped too. */
export function searchOf(draft: DocumentsFilterDraft, current: DocumentsSearch): DocumentsSearch {
  const typed = Object.fromEntries(
    Object.entries(draft).map(([key, value]) => [key, value.trim() === '' ? undefined : value.trim()]),
  );
  return documentsSearchSchema.parse({
    status: current.status,
    type: current.type,
    limit: current.limit,
    ...typed,
    cufe: typed.cufe?.toUpperCase(),
  });
}
