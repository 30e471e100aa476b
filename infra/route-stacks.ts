import type { ApiRoute } from './routes';

/**
 * Which stack holds a route's function, by the operation's first tag: CloudFormation refuses a template of
 * more than 500 resources, and one function per route costs about five (function, log group, execution role
 * and its policy, tenant access role). The group follows from the route alone, so a route never moves to
 * another stack (a replacement of its function) when other routes are added. A group holds room for about
 * 90 routes; a new tag is placed here once.
 */
export const ROUTE_STACK_OF_TAG = {
  documents: 'Documents',
  folios: 'Documents',
  tenants: 'Tenancy',
  branches: 'Tenancy',
  settings: 'Tenancy',
  certificates: 'Tenancy',
  users: 'Tenancy',
  profile: 'Tenancy',
  'api-keys': 'Tenancy',
  audit: 'Tenancy',
  alerts: 'Tenancy',
  catalogue: 'Business',
  reports: 'Business',
  exports: 'Business',
  batches: 'Business',
  webhooks: 'Business',
  docs: 'Docs',
  health: 'Docs',
} as const satisfies Record<string, string>;

export type RouteStackGroup = (typeof ROUTE_STACK_OF_TAG)[keyof typeof ROUTE_STACK_OF_TAG];

/** The route-function stack of `route` (by its operation's first tag); throws for a tag not placed yet. */
export function routeStackGroupOf(route: ApiRoute): RouteStackGroup {
  const tag = route.operation.tags[0];
  const group = tag === undefined ? undefined : ROUTE_STACK_OF_TAG[tag as keyof typeof ROUTE_STACK_OF_TAG];
  if (!group) {
    throw new Error(
      `${route.operation.operationId} (${route.entry}): tag "${tag ?? ''}" is in no route stack; add it to ROUTE_STACK_OF_TAG in infra/route-stacks.ts`,
    );
  }
  return group;
}

/** Routes by group, each group in registry order. */
export function routesByStackGroup(routes: readonly ApiRoute[]): Map<RouteStackGroup, ApiRoute[]> {
  const groups = new Map<RouteStackGroup, ApiRoute[]>();
  for (const route of routes) {
    const group = routeStackGroupOf(route);
    groups.set(group, [...(groups.get(group) ?? []), route]);
  }
  return groups;
}
