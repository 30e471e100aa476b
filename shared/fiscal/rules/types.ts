import type { ComputedDocument } from '../compute';
import type { DocumentInput } from '../model';
import type { Violation } from '../violations';

export type RuleContext = {
  /** The clock: every time window (180-day notes, contingency, future emission) is relative to it. */
  now: Date;
};

/** A top-level section (field) of the parsed input: `type`, `receiver`, `items`, `issuedAt`, … */
export type Section = keyof DocumentInput;

/**
 * A rule over the parsed input (before arithmetic). Returns every violation it finds. `reads` lists the
 * top-level sections it looks at, and `check` is typed to see only those (`Pick`), so the compiler
 * holds the list honest. validate.ts relies on it: when the schema fails elsewhere, the rule still runs
 * as long as every section it reads is schema-valid.
 */
export type InputRule<K extends Section = Section> = {
  readonly reads: readonly K[];
  readonly check: (document: Pick<DocumentInput, K>, context: RuleContext) => Violation[];
};

/** Declares an input rule; `K` is inferred from `reads`, so `check` cannot touch any other section. */
export const inputRule = <const K extends Section>(
  reads: readonly K[],
  check: (document: Pick<DocumentInput, K>, context: RuleContext) => Violation[],
): InputRule<K> => ({ reads, check });

/** A rule over the computed document (totals, payments). */
export type ComputedRule = (document: ComputedDocument, context: RuleContext) => Violation[];

export const violation = (path: string, message: string, code: string): Violation => ({
  path,
  message,
  code,
  severity: 'error',
});
