import { Link, Navigate, Outlet, useRouterState } from '@tanstack/react-router';
import { useSession } from '../../auth/use-session';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';
import { settingsSections } from '../../settings-sections';

/** Configuración: its own menu of the sections the person may manage, beside the section shown. */
export default function SettingsLayout() {
  const { t } = useI18n();
  const session = useSession();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const sections = settingsSections.filter((section) => allowed(session, section.permission));
  const first = sections[0];
  if (pathname === '/settings' && first) return <Navigate to={first.to} replace />;
  return (
    <div className="settings">
      <h1>{t('settings.title')}</h1>
      <nav aria-label={t('settings.nav')} className="subnav">
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <Link to={section.to}>{t(section.label)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {sections.length === 0 ? <p>{t('settings.nothing')}</p> : <Outlet />}
    </div>
  );
}
