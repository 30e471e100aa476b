import { useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * A destructive action asked twice: the first press shows the question and "Confirmar" beside it (in the page,
 * where a screen reader reads it, rather than a browser dialog).
 */
export function ConfirmButton({
  label,
  question,
  pending,
  onConfirm,
}: {
  label: string;
  question: string;
  pending: boolean;
  onConfirm(): void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span className="confirm">
      <span role="status">{question}</span>{' '}
      <button
        type="button"
        className="danger"
        disabled={pending}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {t('access.confirm')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        {t('access.keep')}
      </button>
    </span>
  );
}
