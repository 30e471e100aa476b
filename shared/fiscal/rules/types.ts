import type { ComputedDocument } from '../compute';
import type { DocumentInput } from '../model';
import type { Violation } from '../violations';

export type RuleContext = {
  /** The clock: every time window (180-day notes, contingency, future emission) is relative to it. */
  now: Date;
};

/** A rule over the parsed input (before arithmetic). Returns every violation it finds. */
export type InputRule = (document: DocumentInput, context: RuleContext) => Violation[];

/** A rule over the computed document (totals, payments). */
export type ComputedRule = (document: ComputedDocument, context: RuleContext) => Violation[];

export const violation = (path: string, message: string, code: string): Violation => ({
  path,
  message,
  code,
});
