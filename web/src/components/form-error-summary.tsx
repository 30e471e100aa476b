import { useEffect, useId, useRef } from 'react';
import type { FieldErrors } from '../api/error-paths';
import { useI18n } from '../i18n/i18n';
import { formErrors, type Refusal } from './form-errors';

/** A form's refusal: the messages per field, and where each field is (for the summary's links). */
export type FormErrorState = {
  error: Error | null;
  errors: FieldErrors;
  labels: Readonly<Record<string, string>>;
  idOf(path: string): string;
  /** What a Field of that path takes: its id, label and messages. */
  field(path: string): { id: string; label: string; errors: string[] | undefined };
};

/**
 * The API's refusal of one form (or one action): `labels` declares the form's fields (API path → label), so
 * a detail lands at its field and the summary links to it by name.
 */
export function useFormErrors(
  error: Error | null,
  labels: Readonly<Record<string, string>>,
  explain?: (refusal: Refusal) => string | undefined,
): FormErrorState {
  const { language } = useI18n();
  const prefix = useId();
  const errors = formErrors(error, Object.keys(labels), language, explain);
  const idOf = (path: string) => `${prefix}${path}`;
  return {
    error,
    errors,
    labels,
    idOf,
    field: (path) => ({ id: idOf(path), label: labels[path] ?? path, errors: errors.fields[path] }),
  };
}

/**
 * At the top of the form: the refusal in words and the messages no field took, then a link to each field
 * that holds a message. It takes the focus when a request fails, so a screen reader starts here.
 */
export function FormErrorSummary({ form }: { form: FormErrorState }) {
  const { t } = useI18n();
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (form.error) summary.current?.focus();
  }, [form.error]);
  const { errors } = form;
  const paths = Object.keys(form.labels).filter((path) => errors.fields[path] !== undefined);
  if (errors.form.length === 0 && paths.length === 0) return null;
  return (
    <div role="alert" className="alert" tabIndex={-1} ref={summary}>
      {[...new Set(errors.form)].map((message) => (
        <p key={message}>{message}</p>
      ))}
      {paths.length > 0 && (
        <>
          <p>{t('errors.fields')}</p>
          <ul>
            {paths.map((path) => (
              <li key={path}>
                <a
                  href={`#${form.idOf(path)}`}
                  onClick={(event) => {
                    // The field itself takes the focus (a fragment alone only scrolls), and the router's
                    // location stays as it is.
                    event.preventDefault();
                    document.getElementById(form.idOf(path))?.focus();
                  }}
                >
                  {form.labels[path]}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
