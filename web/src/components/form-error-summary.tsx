import type { FieldErrors } from '../api/error-paths';

/** The messages no field took, announced at the top of the form. */
export function FormErrorSummary({ errors }: { errors: FieldErrors }) {
  if (errors.form.length === 0) return null;
  return (
    <p role="alert" className="alert">
      {errors.form.join(' · ')}
    </p>
  );
}
