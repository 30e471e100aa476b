import { useI18n } from '../i18n/i18n';
import { type CataloguePrefix, catalogueKey } from './catalogue-keys';

/**
 * "Delete this one?" asked in the page (where a screen reader reads it, rather than a browser dialog); a refused
 * delete is shown here, beside the question it answers.
 */
export function CatalogueDeleteQuestion({
  prefix,
  noun,
  name,
  error,
  pending,
  onConfirm,
  onKeep,
}: {
  prefix: CataloguePrefix;
  /** Singular, for the id that names the dialog by its question. */
  noun: string;
  name: string;
  error: Error | null;
  pending: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const { t } = useI18n();
  const questionId = `confirm-delete-${noun}`;
  return (
    <div className="card" role="alertdialog" aria-labelledby={questionId}>
      <p id={questionId}>{t(catalogueKey(prefix, 'confirmDelete'), { name })}</p>
      {error && <p role="alert">{error.message}</p>}
      <div className="actions">
        <button type="button" className="danger" disabled={pending} onClick={onConfirm}>
          {t(catalogueKey(prefix, 'confirm'))}
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          {t(catalogueKey(prefix, 'keep'))}
        </button>
      </div>
    </div>
  );
}
