/**
 * Lenient readers for HKA's response values. HKA mixes formats across operations and years (brief §8.7),
 * so each reader accepts every form seen in the field and never throws on a cosmetic difference.
 */

/**
 * Text content of a parsed element. soap gives strings, numbers, `null`/nil objects (`i:nil="true"`) or
 * `{ $value }`; all collapse to a string ('' when absent). The XML parser has already unescaped entities
 * once (`&amp;` → `&`); nothing here unescapes again, so a QR keeps exactly what HKA meant.
 */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '$value' in value) return textOf((value as { $value: unknown }).$value);
  return '';
}

const PANAMA_OFFSET = '-05:00';

/**
 * HKA dates → ISO-8601 UTC. Seen: `2019-05-29T13:32:21+00:00`, `2024-05-24T22:27:28` (no offset),
 * `2023-04-10 10:29:09`, `29/05/2019 13:32:21`, with or without fractions. A timestamp without offset is
 * read as Panama time (UTC−05:00, no DST), the time zone of HKA and the DGI (assumption: HKA does not
 * document it). Returns undefined for anything unreadable instead of a wrong date.
 */
export function parseHkaDate(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  let iso = text;
  const dayFirst = /^(\d{2})\/(\d{2})\/(\d{4})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?/.exec(text);
  if (dayFirst) {
    const [, d, m, y, time] = dayFirst;
    iso = `${y}-${m}-${d}T${time ?? '00:00:00'}`;
  } else {
    iso = iso.replace(' ', 'T');
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso = `${iso}T00:00:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(iso)) iso = `${iso}:00`;
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso = `${iso}${PANAMA_OFFSET}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `"2024-01-01 / 2024-12-31"` (licence and cycle ranges of FoliosRestantes). */
export function parseDateRange(raw: string): { from?: string; to?: string } {
  const [from, to] = raw.split('/').map((part) => part.trim());
  return { from: from ? from : undefined, to: to ? to : undefined };
}

/** Folio counters; an absent or non-numeric value reads as 0 rather than NaN. */
export function parseCount(raw: string): number {
  const n = Number.parseInt(raw.trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

/** Base64 payloads (DescargaXML/PDF), tolerant of line breaks WCF may insert. */
export function decodeBase64(raw: string): Buffer {
  return Buffer.from(raw.replace(/\s+/g, ''), 'base64');
}

/** `afiliadoFE`: HKA has been seen sending `SI`/`NO`; accept the usual boolean spellings. */
export function parseYesNo(raw: string): boolean {
  return /^(s[ií]|true|1|yes|y)$/i.test(raw.trim());
}
