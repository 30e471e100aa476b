import * as z from 'zod';

/**
 * Nuevo documento's address bar: `?from=<documentId>&kind=credit-note|debit-note` prefills a note from the
 * original document (its receiver and its CUFE as the reference). The document's own screen links here.
 */
export const NOTE_KINDS = ['credit-note', 'debit-note'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export const newDocumentSearchSchema = z.object({
  from: z.string().min(1).max(64).optional().catch(undefined),
  kind: z.enum(NOTE_KINDS).optional().catch(undefined),
});

export type NewDocumentSearch = z.infer<typeof newDocumentSearchSchema>;
