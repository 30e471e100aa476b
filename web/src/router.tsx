import { QueryClient } from '@tanstack/react-query';
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { Layout } from './components/layout';
import { auditSearchSchema } from './routes/audit-search';
import { batchesSearchSchema } from './routes/batches-search';
import { catalogueSearchSchema } from './routes/catalogue-search';
import { documentsSearchSchema } from './routes/documents-search';
import { newDocumentSearchSchema } from './routes/new-document-search';

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
  validateSearch: newDocumentSearchSchema,
  component: lazyRouteComponent(() => import('./routes/new-document')),
});
const documentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/documents/$id',
  component: lazyRouteComponent(() => import('./routes/document')),
});

const customersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers',
  validateSearch: catalogueSearchSchema,
  component: lazyRouteComponent(() => import('./routes/customers')),
});
const productsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/products',
  validateSearch: catalogueSearchSchema,
  component: lazyRouteComponent(() => import('./routes/products')),
});
const foliosRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/folios',
  component: lazyRouteComponent(() => import('./routes/folios')),
});
const batchesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/batches',
  validateSearch: batchesSearchSchema,
  component: lazyRouteComponent(() => import('./routes/batches')),
});
const reportsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reports',
  component: lazyRouteComponent(() => import('./routes/reports')),
});

const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./routes/settings/layout')),
});

const usersRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/users',
  component: lazyRouteComponent(() => import('./routes/settings/users')),
});
const apiKeysRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/api-keys',
  component: lazyRouteComponent(() => import('./routes/settings/api-keys')),
});
const webhooksRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/webhooks',
  component: lazyRouteComponent(() => import('./routes/settings/webhooks')),
});
const alertsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/alerts',
  component: lazyRouteComponent(() => import('./routes/settings/alerts')),
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: auditSearchSchema,
  component: lazyRouteComponent(() => import('./routes/audit')),
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
  foliosRoute,
  batchesRoute,
  reportsRoute,
  customersRoute,
  productsRoute,
  auditRoute,
  settingsRoute.addChildren([...companySettingsRoutes, usersRoute, apiKeysRoute, webhooksRoute, alertsRoute]),
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
