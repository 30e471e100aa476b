import * as z from 'zod';
import type { DocumentStatus } from '../api/client';

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

/** The documents list's address bar: what the API filters on, checked before a request is made. */
export const documentsSearchSchema = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional().catch(undefined),
  q: z.string().trim().min(2).max(200).optional().catch(undefined),
});

export type DocumentsSearch = z.infer<typeof documentsSearchSchema>;
