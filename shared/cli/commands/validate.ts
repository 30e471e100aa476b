import { validateDocument } from '#shared/fiscal/validate';
import type { Violation } from '#shared/fiscal/violations';
import { type CommandResult, readJson } from '../io';
import { nowOption, type Options } from '../options';

export function violationsResult(violations: Violation[]): CommandResult {
  return {
    exitCode: 1,
    text: [`${violations.length} violation(s):`, ...violations.map((v) => `  ${v.path}: ${v.message}`)].join(
      '\n',
    ),
    json: { ok: false, violations },
  };
}

/** `factu validate <doc.json|->`: the computed document, or every violation with its path (exit 1). */
export function validateCommand(args: string[], options: Options): CommandResult {
  const result = validateDocument(readJson(args[0]), { now: nowOption(options) });
  if (!result.ok) return violationsResult(result.violations);
  return {
    exitCode: 0,
    text: JSON.stringify(result.document, null, 2),
    json: { ok: true, document: result.document },
  };
}
