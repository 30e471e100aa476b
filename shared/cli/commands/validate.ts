import { catalogueAmountViolations } from '#shared/fiscal/rules/catalogue/index';
import { validateDocument } from '#shared/fiscal/validate';
import { viewOfDocumento, type XmlTree } from '#shared/fiscal/view/from-documento';
import type { Violation } from '#shared/fiscal/violations';
import { documentoToModel, hkaFieldOf } from '#shared/hka/documento-to-model';
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
 * every finding with HKA's field name beside our path, plus the amounts it states checked by the same
 * catalogue arithmetic the HKA sandbox applies (the amounts our model recomputes are left out of the model).
 */
function validateHkaDocumento(raw: unknown, options: Options): CommandResult {
  const documento =
    raw !== null && typeof raw === 'object' && 'documento' in raw
      ? (raw as { documento: unknown }).documento
      : raw;
  const now = nowOption(options);
  const result = validateDocument(documentoToModel(documento), { now });
  const finding = (severity: HkaFinding['severity']) => (v: Violation) => ({
    severity,
    hkaField: v.hkaField ?? hkaFieldOf(v.path) ?? null,
    path: v.path,
    message: v.message,
  });
  const findings: HkaFinding[] = [
    ...(result.ok ? [] : result.violations.map(finding('error'))),
    ...(result.ok
      ? catalogueAmountViolations(viewOfDocumento(documento as XmlTree), now)
          .filter((v) => v.severity === 'error')
          .map(finding('error'))
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
