import { validateDocument } from '#shared/fiscal/validate';
import type { Violation } from '#shared/fiscal/violations';
import { documentoToModel, documentoTotalsMismatches, hkaFieldOf } from '#shared/hka/documento-to-model';
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
  if (options.hka) return validateHkaDocumento(readJson(args[0]), options);
  const result = validateDocument(readJson(args[0]), { now: nowOption(options) });
  if (!result.ok) return violationsResult(result.violations);
  return {
    exitCode: 0,
    text: JSON.stringify(result.document, null, 2),
    json: { ok: true, document: result.document },
  };
}

type HkaFinding = { severity: 'error' | 'warning'; hkaField: string | null; path: string; message: string };

/**
 * `factu validate --hka <documento.json>`: an HKA `Enviar.documento` read into our model and pre-flighted;
 * every finding with HKA's field name beside our path, plus the stated totals HKA would recompute.
 */
function validateHkaDocumento(raw: unknown, options: Options): CommandResult {
  const documento =
    raw !== null && typeof raw === 'object' && 'documento' in raw
      ? (raw as { documento: unknown }).documento
      : raw;
  const result = validateDocument(documentoToModel(documento), { now: nowOption(options) });
  const finding = (severity: HkaFinding['severity']) => (v: Violation) => ({
    severity,
    hkaField: hkaFieldOf(v.path) ?? null,
    path: v.path,
    message: v.message,
  });
  const findings: HkaFinding[] = [
    ...(result.ok ? [] : result.violations.map(finding('error'))),
    ...(result.ok
      ? documentoTotalsMismatches(documento, result.document).map((m) => ({
          severity: 'error' as const,
          hkaField: `totalesSubTotales.${m.hkaField}`,
          path: m.path,
          message: `states ${m.sent}; the items and payments give ${m.computed}`,
        }))
      : []),
    ...result.warnings.map(finding('warning')),
  ];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const valid = errors === 0;
  const lines = findings.map(
    (f) => `  ${f.severity} ${f.hkaField ?? '(no HKA field)'} (${f.path}): ${f.message}`,
  );
  return {
    exitCode: valid ? 0 : 1,
    text: [valid ? 'valid' : `invalid: ${errors} error(s)`, ...lines].join('\n'),
    json: { valid, findings },
  };
}
