import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import type { Role } from '#shared/tenancy/context';
import { api, unwrap } from '../api/client';
import { signOut } from '../auth/session';
import { useSession } from '../auth/use-session';
import { useI18n } from '../i18n/i18n';
import { navigation } from '../navigation';
import { allowed } from '../permissions';

/** The role named in the frame: the strongest the person holds. */
const ROLE_ORDER: readonly Role[] = ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR'];

/**
 * The app frame: brand, company and signed-in person, the menu (a sidebar on wide screens; behind a menu button
 * on phones), language and sign-out. The company's name comes from its profile, read only inside a tenant.
 */
export function Layout() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // A screen's code is fetched on its first visit: on a slow phone line the click shows it is under way.
  const loadingScreen = useRouterState({ select: (state) => state.isLoading });
  const [menuOpen, setMenuOpen] = useState(false);
  const inTenant = session?.tenantId !== undefined && allowed(session, 'documents:read');
  const profile = useQuery({
    queryKey: ['profile'],
    queryFn: async () => unwrap(await api.GET('/v1/profile')),
    enabled: inTenant,
    staleTime: 5 * 60_000,
  });
  // A chosen screen closes the phone menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path is the trigger, not an input
  useEffect(() => setMenuOpen(false), [pathname]);
  const role = ROLE_ORDER.find((candidate) => session?.roles.includes(candidate));
  const company = profile.data ? (profile.data.tradeName ?? profile.data.name) : undefined;
  const entries = navigation.filter(
    (entry) => entry.anyOf === undefined || entry.anyOf.some((permission) => allowed(session, permission)),
  );
  return (
    <div className="app">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <div className="brand-block">
          <span className="brand">{t('app.name')}</span>
          <span className="company" data-testid="company-name">
            {company ?? (session?.tenantId ? '' : t('app.platform'))}
          </span>
        </div>
        <button
          type="button"
          className="menu-button secondary"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t('nav.menu')}
        </button>
        <div className="account">
          <span className="person">
            <span className="email">{session?.email}</span>
            {role && <span className="role">{t(`role.${role}`)}</span>}
          </span>
          <label className="language">
            <span className="visually-hidden">{t('language.label')}</span>
            <select
              value={language}
              onChange={(event) => setLanguage(event.target.value === 'en' ? 'en' : 'es')}
            >
              <option value="es">Español</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" className="secondary" onClick={() => signOut()}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <nav id="main-menu" aria-label={t('nav.label')} className={menuOpen ? 'sidebar open' : 'sidebar'}>
        <ul>
          {entries.map((entry) => (
            <li key={entry.to}>
              <Link to={entry.to} activeOptions={{ exact: entry.exact ?? false }}>
                {t(entry.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {loadingScreen && <div className="route-progress" role="progressbar" aria-label={t('nav.loading')} />}
      <main id="main" aria-busy={loadingScreen}>
        <Outlet />
      </main>
    </div>
  );
}
