import { ApiError } from '../api/client';
import { type FieldErrors, mapErrorDetails } from '../api/error-paths';

/**
 * A failed request's messages for a form: the API's details at the form's fields, the rest (and the message of
 * a refusal with no details, or of a network failure) at the top.
 */
export function formErrors(
  error: Error | null,
  fields: readonly string[],
  language: 'es' | 'en',
  explain: (error: ApiError) => string | undefined = () => undefined,
): FieldErrors {
  if (!error) return { fields: {}, form: [] };
  if (!(error instanceof ApiError)) return { fields: {}, form: [error.message] };
  const mapped = mapErrorDetails(error.details, fields, language);
  const explained = explain(error);
  if (explained) return { fields: mapped.fields, form: [explained] };
  if (mapped.form.length === 0 && Object.keys(mapped.fields).length === 0) mapped.form.push(error.message);
  return mapped;
}

/** The messages no field took, announced at the top of the form. */
export function FormErrors({ errors }: { errors: FieldErrors }) {
  if (errors.form.length === 0) return null;
  return (
    <p role="alert" className="alert">
      {errors.form.join(' · ')}
    </p>
  );
}
