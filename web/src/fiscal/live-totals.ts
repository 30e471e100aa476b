import { type ComputedTotals, computeDocument } from '#shared/fiscal/compute';
import { type DocumentInputRaw, documentInputSchema } from '#shared/fiscal/model';
import { type ErrorDetail, pathOf } from '../api/error-paths';

/**
 * The form's document run through the API's own fiscal core in the browser: the same schema (its messages
 * and paths) and the same arithmetic (`computeDocument`), so the totals shown are the totals issued — one
 * arithmetic, not two.
 */
export type LiveCheck = { totals: ComputedTotals; issues: [] } | { totals: undefined; issues: ErrorDetail[] };

export function checkDocument(body: DocumentInputRaw): LiveCheck {
  const parsed = documentInputSchema.safeParse(body);
  if (!parsed.success) {
    return {
      totals: undefined,
      issues: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
    };
  }
  return { totals: computeDocument(parsed.data).totals, issues: [] };
}
