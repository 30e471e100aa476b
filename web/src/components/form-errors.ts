import { type ErrorDetail, type FieldErrors, mapErrorDetails } from '../api/error-paths';

/** What an API refusal carries (the client's ApiError): its stable code and field-level details. */
export type Refusal = Error & { code: string; details: ErrorDetail[] };

function isRefusal(error: Error): error is Refusal {
  return (
    'code' in error && typeof error.code === 'string' && 'details' in error && Array.isArray(error.details)
  );
}

/**
 * A failed request's messages for a form: the API's details at the form's fields, the rest (and the message of
 * a refusal with no details, or of a network failure) at the top. `explain` words a known code for people.
 */
export function formErrors(
  error: Error | null,
  fields: readonly string[],
  language: 'es' | 'en',
  explain: (refusal: Refusal) => string | undefined = () => undefined,
): FieldErrors {
  if (!error) return { fields: {}, form: [] };
  if (!isRefusal(error)) return { fields: {}, form: [error.message] };
  const mapped = mapErrorDetails(error.details, fields, language);
  const explained = explain(error);
  if (explained) return { fields: mapped.fields, form: [explained] };
  if (mapped.form.length === 0 && Object.keys(mapped.fields).length === 0) mapped.form.push(error.message);
  return mapped;
}
