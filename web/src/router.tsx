import { QueryClient } from '@tanstack/react-query';
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { Layout } from './components/layout';
import { documentsSearchSchema } from './routes/documents-search';

/** Code routes: each screen is its own chunk, loaded when first visited. */
const rootRoute = createRootRoute({ component: Layout });

const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./routes/home')),
});
const documentsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/documents',
  validateSearch: documentsSearchSchema,
  component: lazyRouteComponent(() => import('./routes/documents')),
});
const newDocumentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/documents/new',
  component: lazyRouteComponent(() => import('./routes/new-document')),
});
const documentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/documents/$id',
  component: lazyRouteComponent(() => import('./routes/document')),
});

const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./routes/settings/layout')),
});

/** A section of Configuración: its own chunk, inside the settings frame. */
const settingsSectionRoute = (path: string, component: ReturnType<typeof lazyRouteComponent>) =>
  createRoute({ getParentRoute: () => settingsRoute, path, component });
const companySettingsRoutes = [
  settingsSectionRoute(
    'company',
    lazyRouteComponent(() => import('./routes/settings/company')),
  ),
  settingsSectionRoute(
    'hka',
    lazyRouteComponent(() => import('./routes/settings/hka')),
  ),
  settingsSectionRoute(
    'issuing',
    lazyRouteComponent(() => import('./routes/settings/issuing')),
  ),
  settingsSectionRoute(
    'branches',
    lazyRouteComponent(() => import('./routes/settings/branches')),
  ),
  settingsSectionRoute(
    'certificates',
    lazyRouteComponent(() => import('./routes/settings/certificates')),
  ),
];
const tenantsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tenants',
  component: lazyRouteComponent(() => import('./routes/tenants')),
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  documentsRoute,
  newDocumentRoute,
  documentRoute,
  settingsRoute.addChildren([...companySettingsRoutes]),
  tenantsRoute,
]);

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: false } },
});

export const router = createRouter({ routeTree, defaultPreload: 'intent', trailingSlash: 'never' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
