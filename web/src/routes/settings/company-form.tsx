import type { ReactNode } from 'react';
import { useSession } from '../../auth/use-session';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';

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
