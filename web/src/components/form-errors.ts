import { type ErrorDetail, type FieldErrors, mapErrorDetails } from '../api/error-paths';
import { en, es, interpolate, type MessageKey } from '../i18n/messages';

/** What an API refusal carries (the client's ApiError): its stable code and field-level details. */
export type Refusal = Error & { code: string; details: ErrorDetail[] };

function isRefusal(error: Error): error is Refusal {
  return (
    'code' in error && typeof error.code === 'string' && 'details' in error && Array.isArray(error.details)
  );
}

/** A refusal's code in the person's words: the console's catalogue of the API's codes. */
export function refusalSentence(code: string, language: 'es' | 'en'): string {
  const messages = language === 'en' ? en : es;
  const key = `errors.${code}`;
  return key in messages ? messages[key as MessageKey] : interpolate(messages['errors.unknown'], { code });
}

/**
 * A failed request's messages for a form: each API detail at the form's field it names; at the top, once, the
 * refusal in words (`explain` words a code the form knows better, else the code catalogue) and the details
 * no field took. A request that got no answer says so (the browser's own message is not for people).
 */
export function formErrors(
  error: Error | null,
  fields: readonly string[],
  language: 'es' | 'en',
  explain: (refusal: Refusal) => string | undefined = () => undefined,
): FieldErrors {
  if (!error) return { fields: {}, form: [] };
  if (!isRefusal(error)) {
    const unanswered = error instanceof TypeError;
    return { fields: {}, form: [unanswered ? refusalSentence('network', language) : error.message] };
  }
  const mapped = mapErrorDetails(error.details, fields, language);
  const sentence = explain(error) ?? refusalSentence(error.code, language);
  return { fields: mapped.fields, form: [sentence, ...mapped.form] };
}

/** Why something could not be loaded, in words (a list's or a page's failed read). */
export function failureSentence(error: Error, language: 'es' | 'en'): string {
  return formErrors(error, [], language).form.join(' ');
}
