/**
 * Local pre-flight of a document before any send: schema (shape, formats, catalogs, XSD limits), then
 * every business rule, then the arithmetic. Rules only run on a schema-valid input (they rely on its
 * types), but within each stage every violation is reported, never just the first.
 */
import type { z } from 'zod';
import { type ComputedDocument, computeDocument } from './compute';
import { documentInputSchema } from './model';
import { DAY_MS } from './panama-time';
import { computedRules, inputRules } from './rules/index';
import { formatPath, type Violation } from './violations';

export type ValidationResult =
  | { ok: true; document: ComputedDocument }
  | { ok: false; violations: Violation[] };
export type ValidateOptions = { now?: Date };

/** The raw input value at an issue path (zod v4 does not keep the input in its issues). */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): Violation[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'is not a known field',
      code: 'UNKNOWN_FIELD',
    }));
  }
  const path = formatPath(issue.path);
  const missing =
    (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
    valueAt(input, issue.path) === undefined;
  return [
    {
      path: path === '' ? '(document)' : path,
      message: missing ? 'is required' : issue.message,
      code: 'SCHEMA',
    },
  ];
}

export function validateDocument(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  const parsed = documentInputSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, violations: parsed.error.issues.flatMap((issue) => fromZodIssue(issue, input)) };

  const context = { now };
  const violations = inputRules.flatMap((rule) => rule(parsed.data, context));
  const document = computeDocument(parsed.data, { now });
  violations.push(...computedRules.flatMap((rule) => rule(document, context)));
  return violations.length > 0 ? { ok: false, violations } : { ok: true, document };
}

/** Cancellation (anulación) is allowed for 7 calendar days after authorization (HKA FAQ, §9.1). */
export const CANCELLATION_WINDOW_DAYS = 7;

export function checkCancellationWindow(
  authorizedAt: Date,
  now: Date = new Date(),
): { allowed: true } | { allowed: false; reason: string } {
  const elapsed = now.getTime() - authorizedAt.getTime();
  if (elapsed > CANCELLATION_WINDOW_DAYS * DAY_MS) {
    return {
      allowed: false,
      reason: `authorized more than ${CANCELLATION_WINDOW_DAYS} days ago; issue a credit note instead`,
    };
  }
  return { allowed: true };
}
