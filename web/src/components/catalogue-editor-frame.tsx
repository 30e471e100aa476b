import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { type CataloguePrefix, catalogueKey } from './catalogue-keys';

/**
 * The frame every catalogue editor shares: its title, the summary of a refused save, and Guardar/Cancelar.
 * The editor brings its fields; a refusal the API explained says "fix the fields" and shows the messages no field
 * took, while a failure it could not explain (network, 5xx) is shown as it is.
 */
export function CatalogueEditorFrame({
  prefix,
  noun,
  creating,
  error,
  formErrors,
  pending,
  onSubmit,
  onCancel,
  children,
}: {
  prefix: CataloguePrefix;
  /** Singular, for the id that names the form by its title. */
  noun: string;
  creating: boolean;
  error: Error | null;
  formErrors: string[];
  pending: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const titleId = `${noun}-editor-title`;
  return (
    <form
      className="card"
      noValidate
      aria-labelledby={titleId}
      onSubmit={(event) => {
        event.preventDefault();
        if (!pending) onSubmit();
      }}
    >
      <h2 id={titleId}>{t(catalogueKey(prefix, creating ? 'createTitle' : 'editTitle'))}</h2>
      {error && (
        <div role="alert" className="alert">
          <p>{error instanceof ApiError ? t(catalogueKey(prefix, 'fixErrors')) : error.message}</p>
          {error instanceof ApiError && <p>{error.message}</p>}
          {formErrors.length > 0 && (
            <ul>
              {formErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="grid">{children}</div>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? t(catalogueKey(prefix, 'saving')) : t(catalogueKey(prefix, 'save'))}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t(catalogueKey(prefix, 'cancel'))}
        </button>
      </div>
    </form>
  );
}
