/**
 * A single problem found in a document, addressed by a JSON-ish path into the input
 * (`items[0].quantity`, `receiver.dv`, `payments`). Every validation layer (schema, rules, arithmetic)
 * reports in this shape so the API can return all of them at once. An `error` blocks the document; a
 * `warning` is returned with it and never blocks (unless the tenant promotes warnings to errors).
 */
export type Severity = 'error' | 'warning';

export type Violation = {
  path: string;
  message: string;
  code?: string;
  severity: Severity;
  /** The catalogue rule that found it (`shared/fiscal/rules/catalogue`), when it came from one. */
  ruleId?: string;
  /** The HKA element the rule names (`totalFactura`), when it came from one. */
  hkaField?: string;
  /** How to fix it. */
  hint?: string;
};

/** `['items', 0, 'quantity']` → `items[0].quantity`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
