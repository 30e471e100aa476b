import type forge from 'node-forge';
import { attributeValue } from './x509-names.ts';

/**
 * Whether any subject attribute carries the RUC. Panamanian certificates put it in the CN
 * (`[F] <RAZÓN SOCIAL> - <RUC> - <DV> - …`); other CAs use serialNumber (sometimes prefixed, e.g.
 * `RUC-155596713-2-2015`) or another attribute, so every attribute is searched.
 *
 * A RUC is a hyphenated sequence of segments (`155596713-2-2015`, `8-123-456`, `PE-1-123`, `E-8-12345`).
 * It matches when its segments appear contiguously and whole inside a hyphenated token of a value, so
 * `8-123-456` does not match `8-123-4567` or `18-123-456`. Numeric segments compare without leading zeros
 * and letters without case, because some issuers zero-pad the segments.
 */
export function subjectCarriesRuc(attributes: forge.pki.CertificateField[], ruc: string): boolean {
  const wanted = segments(ruc);
  if (wanted.length === 0) return false;
  return attributes.some((attribute) =>
    tokens(attributeValue(attribute)).some((token) => containsRun(segments(token), wanted)),
  );
}

function tokens(value: string): string[] {
  return value.match(/[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*/g) ?? [];
}

function segments(value: string): string[] {
  return value
    .trim()
    .split('-')
    .filter((segment) => segment.length > 0)
    .map((segment) => (/^\d+$/.test(segment) ? String(BigInt(segment)) : segment.toUpperCase()));
}

function containsRun(haystack: string[], needle: string[]): boolean {
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((segment, i) => haystack[start + i] === segment)) return true;
  }
  return false;
}
