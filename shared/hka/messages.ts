/**
 * The rejection explainer: reads HKA's free-text `mensaje` (and the DGI's result texts) into explanations
 * `{ path, hkaField, code, hkaCode, message, hint }` with the catalogue of `rejections.ts`. Known shapes
 * (brief §8.1, §8.7, §3.11):
 *   "El campo X es requerido" · "El campo [X] no debe ser informado" · "El campo X es inválido. …"
 *   "En la ocurrencia [4] de Item, El campo valorISC es inválido. Informado valor del ISC …"
 *   DGI codes, alone or wrapped by HKA: "1602-RUC inexistente en los registros de la DGI"
 * Several messages may arrive in one `mensaje`, separated by line breaks or " | ": each part is explained.
 * A part no catalogue entry matches keeps HKA's text with `path: null` and code UNEXPLAINED.
 */
import type { HkaViolation } from './errors.ts';
import { documentPathOf, occurrencePathOf } from './field-paths.ts';
import { REJECTIONS, type RejectionEntry, type RejectionHint, UNEXPLAINED } from './rejections.ts';

export type RejectionExplanation = {
  /** Path in our document model; null when the answer names no field we can place. */
  path: string | null;
  /** HKA's element name, when the answer names or implies one. */
  hkaField: string | null;
  /** Stable catalogue code, or UNEXPLAINED. */
  code: string;
  /** HKA's `codigo` (or the DGI result code the message carries). */
  hkaCode?: string;
  /** HKA's text, verbatim. */
  message: string;
  hint: RejectionHint | null;
};

const OCCURRENCE = /^En la ocurrencia\s*\[?\s*(\d+)\s*\]?\s*de\s+([A-Za-z]+)\s*,?\s*(.*)$/is;
const FIELD = /El campo\s*\[?\s*([A-Za-z0-9_]+)\s*\]?/i;
/** A DGI result code in front of its text ("1602-RUC …", "1602 - RUC …"). */
const DGI_CODE = /^(\d{4})\s*-\s*\S/;

export function explainAnswer(mensaje: string, hkaCode?: string): RejectionExplanation[] {
  return mensaje
    .split(/\r?\n|\s\|\s/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => explainPart(part, hkaCode));
}

function explainPart(text: string, hkaCode: string | undefined): RejectionExplanation {
  const occurrence = OCCURRENCE.exec(text);
  const body = occurrence ? (occurrence[3] ?? '') : text;
  const dgiCode = DGI_CODE.exec(body)?.[1];
  const codes = [hkaCode, dgiCode].filter((c): c is string => c !== undefined);
  const entry = REJECTIONS.find((e) => e.pattern.test(body) && codesFit(e, codes));
  const hkaField = FIELD.exec(body)?.[1] ?? entry?.hkaField ?? null;
  const answeredCode = dgiCode ?? hkaCode;
  const base = { hkaField, message: text, ...(answeredCode ? { hkaCode: answeredCode } : {}) };
  if (!entry) return { ...base, path: null, code: UNEXPLAINED, hint: null };

  let path: string | null = null;
  if (occurrence) {
    const [, n, group] = occurrence;
    path = occurrencePathOf(group!, Number(n), hkaField ?? '').replace(/\.$/, '');
  } else if (hkaField) {
    path = documentPathOf(hkaField);
  }
  return { ...base, path, code: entry.code, hint: renderHint(entry.hint, hkaField, path) };
}

function codesFit(entry: RejectionEntry, codes: string[]): boolean {
  return !entry.hkaCodes || codes.some((code) => entry.hkaCodes!.includes(code));
}

function renderHint(hint: RejectionHint, hkaField: string | null, path: string | null): RejectionHint {
  const fill = (template: string) =>
    template.replaceAll('{path}', path ?? hkaField ?? '?').replaceAll('{field}', hkaField ?? '?');
  return { es: fill(hint.es), en: fill(hint.en) };
}

/** Explanations as violations on a rejection: a message that names no field is on the document (`''`). */
export function violationsFromMessage(mensaje: string, hkaCode?: string): HkaViolation[] {
  return explainAnswer(mensaje, hkaCode).map(violationOf);
}

export function violationOf(explanation: RejectionExplanation): HkaViolation {
  const { path, hkaField, code, hkaCode, message, hint } = explanation;
  return {
    path: path ?? '',
    message,
    code,
    ...(hkaCode ? { hkaCode } : {}),
    ...(hkaField ? { hkaField } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** Parts of a set of violations the catalogue could not explain (counted, so the catalogue can grow). */
export function unexplained(violations: readonly { code?: string }[]): number {
  return violations.filter((v) => v.code === UNEXPLAINED).length;
}
