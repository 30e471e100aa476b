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

const foliosRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/folios',
  component: lazyRouteComponent(() => import('./routes/folios')),
});
const batchesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/batches',
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

const routeTree = rootRoute.addChildren([
  homeRoute,
  documentsRoute,
  newDocumentRoute,
  documentRoute,
  foliosRoute,
  batchesRoute,
  reportsRoute,
  settingsRoute.addChildren([]),
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
