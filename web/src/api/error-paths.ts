/**
 * The API's `details[].path` (`items[0].quantity`, `receiver.dv`, `query.q`, `''` for the whole request) put
 * onto a form: every detail whose path is a field the form shows (or lies under one) lands at that field;
 * the rest is shown at the top of the form, so no refusal goes unsaid.
 */
/** A hint is one text (the pre-flight's) or Spanish and English (an explained HKA answer). */
export type Hint = string | { es: string; en: string };
export type ErrorDetail = { path: string; message: string; hint?: Hint; severity?: string };

export function hintText(hint: Hint, language: 'es' | 'en'): string {
  return typeof hint === 'string' ? hint : hint[language];
}

export type FieldErrors = {
  /** Messages per field path the form declared. */
  fields: Record<string, string[]>;
  /** Messages with no field on the form. */
  form: string[];
};

/**
 * `items.0.quantity` and `items[0].quantity` name the same field; the API uses the bracket form. A path may
 * say where the value was sent (`body.`, `query.`): a form's field is named without it.
 */
export function normalizePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/^(body|query)\./, '');
}

/** zod's issue path (`['items', 0, 'quantity']`) in the API's form (`items[0].quantity`). */
export function pathOf(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Places each detail at the deepest declared field that is its path or an ancestor of it
 * (`receiver.location.code` lands on `receiver.location` when only that is on the form).
 */
export function mapErrorDetails(
  details: readonly ErrorDetail[],
  formFields: Iterable<string>,
  language: 'es' | 'en' = 'es',
): FieldErrors {
  const declared = new Set([...formFields].map(normalizePath));
  const result: FieldErrors = { fields: {}, form: [] };
  for (const detail of details) {
    const text = detail.hint ? `${detail.message} — ${hintText(detail.hint, language)}` : detail.message;
    const field = closestField(normalizePath(detail.path), declared);
    if (field === undefined) result.form.push(detail.path ? `${detail.path}: ${text}` : text);
    else result.fields[field] = [...(result.fields[field] ?? []), text];
  }
  return result;
}

function closestField(path: string, declared: Set<string>): string | undefined {
  let candidate = path;
  while (candidate !== '') {
    if (declared.has(candidate)) return candidate;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
  return undefined;
}
