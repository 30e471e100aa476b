import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { type FieldErrors, mapErrorDetails } from '../../api/error-paths';
import { useSession } from '../../auth/use-session';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';

/**
 * What the settings forms share: the API's refusal split into messages at the form's fields and the rest,
 * which FormAlert shows above the form so nothing the API said goes unsaid.
 */
export function useApiErrors(error: Error | null, fields: readonly string[]): FieldErrors {
  const { language } = useI18n();
  return error instanceof ApiError
    ? mapErrorDetails(error.details, fields, language)
    : { fields: {}, form: [] };
}

export function FormAlert({ error, errors }: { error: Error | null; errors: FieldErrors }) {
  const { t } = useI18n();
  if (!error) return null;
  const atFields = Object.keys(errors.fields).length > 0;
  return (
    <div role="alert" className="alert">
      <p>{error.message}</p>
      {atFields && <p>{t('company.fixErrors')}</p>}
      {errors.form.length > 0 && (
        <ul>
          {errors.form.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A short confirmation after a save, announced politely to screen readers. */
export function Saved({ text }: { text: string | undefined }) {
  return (
    <p role="status" className="muted">
      {text ?? ''}
    </p>
  );
}

/**
 * A company section is shown only to whoever may manage the settings: typed into the address bar by someone
 * else, it calls nothing (the frame may be showing them another section they may open).
 */
export function ManageOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  return allowed(session, 'settings:manage') ? children : <p>{t('settings.nothing')}</p>;
}
