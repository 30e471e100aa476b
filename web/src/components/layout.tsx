import { Link, Outlet } from '@tanstack/react-router';
import { signOut } from '../auth/session';
import { useSession } from '../auth/use-session';
import { useI18n } from '../i18n/i18n';
import { navigation } from '../navigation';
import { allowed } from '../permissions';

export function Layout() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {navigation
              .filter(
                (entry) =>
                  entry.anyOf === undefined || entry.anyOf.some((permission) => allowed(session, permission)),
              )
              .map((entry) => (
                <li key={entry.to}>
                  <Link to={entry.to} activeOptions={{ exact: entry.exact ?? false }}>
                    {t(entry.label)}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="account">
          <label>
            <span className="visually-hidden">{t('language.label')}</span>
            <select
              value={language}
              onChange={(event) => setLanguage(event.target.value === 'en' ? 'en' : 'es')}
            >
              <option value="es">Español</option>
              <option value="en">English</option>
            </select>
          </label>
          <span className="email">{session?.email}</span>
          <button type="button" className="secondary" onClick={() => signOut()}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}
