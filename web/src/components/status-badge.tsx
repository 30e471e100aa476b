import type { DocumentStatus } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** The status in words, with a colour class; the colour is never the only signal. */
export function StatusBadge({ status }: { status: DocumentStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}`)}</span>;
}
