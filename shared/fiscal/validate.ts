/**
 * Local pre-flight of a document before any send: schema (shape, formats, catalogs, XSD limits), then
 * every business rule, then the arithmetic. Every violation is reported at once, never just the first:
 *
 * - Schema valid: every input rule runs on the parsed document, then the computed rules (totals,
 *   magnitudes) on the computed one.
 * - Schema invalid: the schema violations come first; then each input rule still runs if every top-level
 *   section it reads (`InputRule.reads`) is schema-valid on its own, on a document assembled from those
 *   sections. A malformed `items[1].quantity` therefore no longer hides a wrong `receiver.dv`, while a
 *   rule that reads a broken section is skipped (its findings would only echo the schema error). The
 *   computed rules need the whole document and are skipped.
 */
import type { z } from 'zod';
import { type ComputedDocument, computeDocument } from './compute';
import { type DocumentInput, documentInputSchema } from './model';
import { DAY_MS } from './panama-time';
import { computedRules, inputRules, type RuleContext, type Section } from './rules/index';
import { formatPath, type Violation } from './violations';

/** `violations` are the errors (they block); `warnings` never block and travel with the document. */
export type ValidationResult =
  | { ok: true; document: ComputedDocument; warnings: Violation[] }
  | { ok: false; violations: Violation[]; warnings: Violation[] };
/** `promoteWarnings`: the tenant treats every warning as an error (no rule emits warnings yet). */
export type ValidateOptions = { now?: Date; promoteWarnings?: boolean };

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

/**
 * Input rules whose sections are all schema-valid, for an input that failed the full schema. Each
 * top-level section is parsed with its own field schema from `documentInputSchema.shape`, which
 * applies that field's defaults and transforms exactly as the full parse does. This is sound because
 * the document schema is a plain strict object: no top-level refinement or transform spans fields
 * (checked below and in validate.test.ts), so a section valid on its own is valid in the whole. The assembled
 * object only holds the parsed sections, yet it is handed over as a `DocumentInput`: safe, because a
 * rule runs only when all its `reads` are present, and `InputRule.check` is typed to see only those.
 */
function partialRuleViolations(input: unknown, context: RuleContext, schemaViolations: Violation[]) {
  // A top-level refinement (`.refine` keeps the schema a z.object) would be bypassed: run no rule.
  if ((documentInputSchema._zod.def.checks ?? []).length > 0) return [];
  // Not an object at all: every section would be "absent", and rules on absent sections prove nothing.
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const raw = input as Record<string, unknown>;
  const parsedSections = new Map<Section, { ok: boolean; value: unknown }>();
  const section = (key: Section) => {
    let parsed = parsedSections.get(key);
    if (!parsed) {
      const result = (documentInputSchema.shape[key] as z.ZodType).safeParse(raw[key]);
      parsed = { ok: result.success, value: result.data };
      parsedSections.set(key, parsed);
    }
    return parsed;
  };

  const violations: Violation[] = [];
  for (const rule of inputRules) {
    if (!rule.reads.every((key) => section(key).ok)) continue;
    const document: Partial<Record<Section, unknown>> = {};
    for (const key of rule.reads) document[key] = section(key).value;
    violations.push(...rule.check(document as DocumentInput, context));
  }
  // Safety net: never echo a schema error with a rule violation at or under the same path.
  const schemaPaths = schemaViolations.map((v) => v.path);
  return violations.filter(
    (v) => !schemaPaths.some((p) => v.path === p || v.path.startsWith(`${p}.`) || v.path.startsWith(`${p}[`)),
  );
}

export function validateDocument(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  const context = { now };
  const parsed = documentInputSchema.safeParse(input);
  if (!parsed.success) {
    const violations = parsed.error.issues.flatMap((issue) => fromZodIssue(issue, input));
    violations.push(...partialRuleViolations(input, context, violations));
    return { ok: false, violations, warnings: [] };
  }

  const violations = inputRules.flatMap((rule) => rule.check(parsed.data, context));
  const document = computeDocument(parsed.data, { now });
  violations.push(...computedRules.flatMap((rule) => rule(document, context)));
  return violations.length > 0
    ? { ok: false, violations, warnings: [] }
    : { ok: true, document, warnings: [] };
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
