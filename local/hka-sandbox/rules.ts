/**
 * HKA-style message builders and small format checks shared by the sandbox validators. HKA's messages
 * are the contract our client parses (`#shared/hka/messages`); they are built in one place, shared with
 * the rule catalogue.
 */
export { forbidden, inOccurrence, invalid, required } from '#shared/fiscal/rules/catalogue/messages';

/** Item money / quantities: ≤ 9 integer digits, up to 6 decimals. */
export const MONEY6 = /^\d{1,9}(\.\d{1,6})?$/;
/** fechaTZ: `YYYY-MM-DDThh:mm:ss±hh:mm`. */
export const DATE_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

/** Collects messages; `check` adds one when the condition fails. */
export class Violations {
  readonly messages: string[] = [];
  add(message: string): void {
    this.messages.push(message);
  }
  check(ok: boolean, message: string): void {
    if (!ok) this.add(message);
  }
}
