/**
 * Reads HKA's free-text `mensaje` into field-level violations. Known shapes (brief §8.1, §8.7):
 *   "El campo X es requerido" · "El campo [X] no debe ser informado" · "El campo X es inválido. …"
 *   "En la ocurrencia [4] de Item, El campo valorISC es inválido. Informado valor del ISC …"
 * Several messages may arrive in one `mensaje`, separated by line breaks or " | ".
 */
import type { HkaViolation } from './errors.ts';
import { documentPathOf, occurrencePathOf } from './field-paths.ts';

const OCCURRENCE = /En la ocurrencia\s*\[?\s*(\d+)\s*\]?\s*de\s+([A-Za-z]+)\s*,?\s*(.*)$/is;
const FIELD = /El campo\s*\[?\s*([A-Za-z0-9_]+)\s*\]?\s*(.*)$/is;

export function violationsFromMessage(mensaje: string, code?: string): HkaViolation[] {
  return mensaje
    .split(/\r?\n|\s\|\s/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .flatMap((part) => {
      const violation = violationOf(part, code);
      return violation ? [violation] : [];
    });
}

function violationOf(text: string, code: string | undefined): HkaViolation | undefined {
  const withCode = (v: HkaViolation): HkaViolation => (code ? { ...v, code } : v);
  const occurrence = OCCURRENCE.exec(text);
  if (occurrence) {
    const [, n, group, rest] = occurrence;
    const field = FIELD.exec(rest ?? '');
    const path = field
      ? occurrencePathOf(group!, Number(n), field[1]!)
      : occurrencePathOf(group!, Number(n), '').replace(/\.$/, '');
    return withCode({ path, message: text });
  }
  const field = FIELD.exec(text);
  if (field) return withCode({ path: documentPathOf(field[1]!), message: text });
  return undefined;
}
