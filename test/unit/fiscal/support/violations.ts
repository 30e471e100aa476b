import { type ValidationResult, validateDocument } from '#shared/fiscal/validate';
import type { Violation } from '#shared/fiscal/violations';
import { EXAMPLES_NOW } from './documents';

export function validate(input: unknown, now: Date = EXAMPLES_NOW): ValidationResult {
  return validateDocument(input, { now });
}

/** The violations of an invalid result (fails the test if the document was valid). */
export function violationsOf(input: unknown, now: Date = EXAMPLES_NOW): Violation[] {
  const result = validate(input, now);
  if (result.ok) throw new Error('expected violations, but the document is valid');
  return result.violations;
}

export const paths = (violations: Violation[]) => violations.map((v) => v.path);
