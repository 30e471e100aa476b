/**
 * The common view of the computed document's amounts, as we would send them: the items and totals
 * `hka-documento.ts` builds, read by the same reader as the documento HKA receives. The pre-flight runs the
 * arithmetic rules of the catalogue on it, so a computation bug meets the very rules the sandbox applies.
 * Only the amounts are read from it; the other rules read the view of the input (`from-input.ts`).
 */
import type { ComputedDocument } from '../compute';
import { hkaAmounts } from '../hka-documento';
import type { FiscalView } from './fiscal-view';
import { viewOfDocumento, type XmlTree } from './from-documento';

export function viewOfComputed(document: ComputedDocument): FiscalView {
  return viewOfDocumento(hkaAmounts(document) as XmlTree);
}
