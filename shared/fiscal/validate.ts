/**
 * Local pre-flight of a document before any send: schema (shape, formats, catalogs, XSD limits), then
 * every business rule, then the arithmetic. Every violation is reported at once, never just the first:
 *
 * - Schema valid: every input rule runs on the parsed document, then the computed rules (payments, the
 *   catalogue's arithmetic) on the computed one.
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
import { catalogueViolations } from './rules/catalogue/index';
import { computedRules, inputRules, type RuleContext, type Section } from './rules/index';
import { viewOfInput } from './view/from-input';
import { formatPath, type Violation } from './violations';

/** `violations` are the errors (they block); `warnings` never block and travel with the document. */
export type ValidationResult =
  | { ok: true; document: ComputedDocument; warnings: Violation[] }
  | { ok: false; violations: Violation[]; warnings: Violation[] };
/** `promoteWarnings`: the tenant treats every warning as an error. */
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
      severity: 'error' as const,
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
      severity: 'error',
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
  const validSections: Partial<Record<Section, unknown>> = {};
  for (const key of Object.keys(documentInputSchema.shape) as Section[]) {
    if (section(key).ok) validSections[key] = section(key).value;
  }
  const view = viewOfInput(validSections as Partial<DocumentInput>, context.now, section('issuedAt').ok);
  // The view leaves a broken section out, which a presence rule would read as absent: drop its findings.
  const inValidSection = (path: string) => (path.split(/[.[]/)[0] as string) in validSections;
  violations.push(...catalogueViolations(view, context.now).filter((v) => inValidSection(v.path)));
  // Safety net: never echo a schema error with a rule violation at or under the same path.
  const schemaPaths = schemaViolations.map((v) => v.path);
  return violations.filter(
    (v) => !schemaPaths.some((p) => v.path === p || v.path.startsWith(`${p}.`) || v.path.startsWith(`${p}[`)),
  );
}

/** Errors and warnings apart; promoted warnings become errors. */
function bySeverity(findings: Violation[], promoteWarnings: boolean) {
  const promoted = promoteWarnings
    ? findings.map((v) => (v.severity === 'warning' ? { ...v, severity: 'error' as const } : v))
    : findings;
  return {
    errors: promoted.filter((v) => v.severity === 'error'),
    warnings: promoted.filter((v) => v.severity === 'warning'),
  };
}

export function validateDocument(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  const promoteWarnings = options.promoteWarnings ?? false;
  const context = { now };
  const parsed = documentInputSchema.safeParse(input);
  if (!parsed.success) {
    const schemaViolations = parsed.error.issues.flatMap((issue) => fromZodIssue(issue, input));
    const { errors, warnings } = bySeverity(
      [...schemaViolations, ...partialRuleViolations(input, context, schemaViolations)],
      promoteWarnings,
    );
    return { ok: false, violations: errors, warnings };
  }

  const findings = inputRules.flatMap((rule) => rule.check(parsed.data, context));
  findings.push(...catalogueViolations(viewOfInput(parsed.data, now), now));
  const document = computeDocument(parsed.data, { now });
  findings.push(...computedRules.flatMap((rule) => rule(document, context)));
  const { errors, warnings } = bySeverity(findings, promoteWarnings);
  return errors.length > 0 ? { ok: false, violations: errors, warnings } : { ok: true, document, warnings };
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
