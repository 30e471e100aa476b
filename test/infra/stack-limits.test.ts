import { beforeAll, describe, expect, it } from 'vitest';
import { API_STACK_NAME, routesStackName, STATEFUL_STACK_NAME, STATELESS_STACK_NAME } from '#infra/app';
import { ROUTE_STACK_OF_TAG, routeStackGroupOf } from '#infra/route-stacks';
import { type ApiRoute, apiRoutes } from '#infra/routes';
import { type CfnTemplate, resourcesOfType, type Synthesized, synth } from './synth';

/** CloudFormation's quota of resources per template (not adjustable). */
const MAX_RESOURCES_PER_STACK = 500;
/**
 * Headroom kept under the quota in every stack: 120 resources, 40 more routes in the API stack (a method,
 * its invoke permission and about one path resource each) or ~24 in a route stack (five each).
 */
const RESOURCE_BUDGET_PER_STACK = 380;

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

/** What CloudFormation answers to a template over the quota (the deploy fails with this, nothing is created). */
function quotaError(count: number): string | undefined {
  return count > MAX_RESOURCES_PER_STACK
    ? `Template format error: Number of resources, ${count}, is greater than maximum allowed, ${MAX_RESOURCES_PER_STACK}`
    : undefined;
}

describe('CloudFormation resource quota per stack', () => {
  it('every synthesized stack has at most 500 resources, well under it', () => {
    const counts = Object.entries(s.stacks).map(([name, template]) => {
      const count = Object.keys(template.Resources).length;
      return { name, count, error: quotaError(count) };
    });
    expect(counts.map((c) => c.name)).toEqual(
      expect.arrayContaining([STATEFUL_STACK_NAME, STATELESS_STACK_NAME, API_STACK_NAME]),
    );
    for (const { name, error } of counts) expect(error, name).toBeUndefined();
    for (const { name, count } of counts) expect(count, name).toBeLessThanOrEqual(RESOURCE_BUDGET_PER_STACK);
  });

  it('the quota check refuses what CloudFormation refuses', () => {
    expect(quotaError(500)).toBeUndefined();
    expect(quotaError(501)).toBe(
      'Template format error: Number of resources, 501, is greater than maximum allowed, 500',
    );
  });
});

describe('stateless stacks split', () => {
  const routeStackNames = () => Object.keys(s.stacks).filter((name) => name.startsWith('Factu-Routes-'));

  it('each route’s function is in the stack of its group, the API methods in the API stack', () => {
    for (const route of apiRoutes) {
      const stackName = routesStackName(routeStackGroupOf(route));
      const template = s.stacks[stackName];
      expect(template, stackName).toBeDefined();
      const holding = entriesOf(template!);
      expect(holding, `${route.entry} in ${stackName}`).toContain(route.entry);
    }
    expect(resourcesOfType(s.stacks[API_STACK_NAME]!, 'AWS::ApiGateway::Method')).toHaveLength(
      apiRoutes.length,
    );
    for (const name of [STATELESS_STACK_NAME, ...routeStackNames()]) {
      expect(resourcesOfType(s.stacks[name]!, 'AWS::ApiGateway::RestApi'), name).toHaveLength(0);
    }
  });

  it('the group of a route follows from its own tag, so adding routes moves no function', () => {
    const route = apiRoutes[0]!;
    const withTag = (tag: string): ApiRoute => ({ ...route, operation: { ...route.operation, tags: [tag] } });
    for (const [tag, group] of Object.entries(ROUTE_STACK_OF_TAG))
      expect(routeStackGroupOf(withTag(tag))).toBe(group);
    expect(() => routeStackGroupOf(withTag('not-placed'))).toThrow(/tag "not-placed" is in no route stack/);
  });

  it('route stacks export nothing and no stack imports a function of another: removing a route never meets an export in use', () => {
    for (const name of routeStackNames()) {
      expect(
        Object.values(s.stacks[name]!.Outputs ?? {}).filter((o) => o.Export),
        name,
      ).toEqual([]);
    }
    for (const [name, template] of Object.entries(s.stacks)) {
      const imports = [...JSON.stringify(template).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      for (const imported of imports) {
        expect(imported, `${name} imports ${imported}`).toMatch(
          new RegExp(`^(${STATEFUL_STACK_NAME}|${STATELESS_STACK_NAME})-`),
        );
      }
    }
    // The core stack references nothing of the route and API stacks.
    expect(JSON.stringify(s.stacks[STATELESS_STACK_NAME])).not.toMatch(/Factu-(Routes|Api)/);
  });
});

function entriesOf(template: CfnTemplate): unknown[] {
  return resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => fn.Metadata?.['factu:entry']);
}
