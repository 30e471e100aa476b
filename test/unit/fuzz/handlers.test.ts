import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRoute, apiRoutes } from '#infra/routes';
import type { ApiEvent } from '#shared/http/event';
import { lambdaContext } from '../app/helpers.ts';
import {
  FAMILIES,
  type Family,
  type FuzzRequest,
  proxyEvent,
  ROW_FAMILIES,
  type RouteContext,
  routeContext,
} from './requests.ts';
import { startWorld, type World } from './world.ts';

/**
 * Property-based fuzzing of every API route's handler, in process (the handler of each `functions/api/**`
 * entry of infra/routes.ts, fed API Gateway proxy events over an in-memory AWS and the HKA sandbox): for any
 * input, never a 5xx, always the house envelope (or a redirect), and a refused request (4xx) changes nothing —
 * no table write, no object written, no execution started, no e-mail sent, no event or message published,
 * no KMS key created, imported or scheduled for deletion, nothing changed at HKA.
 *
 * Families that reproduce open rows of the hardening issue run as `it.fails` on the routes where they still
 * fail (`OPEN`); each flips to a plain `it` once its row is fixed, and the suite then asks for that.
 */

/** Open rows of the issue, by operation: the row families still expected to fail there (none left). */
const OPEN: Record<string, number[]> = {};

/**
 * Runs per family on a route, as a share of the family's: a certificate upload decrypts a P12 and a valid one
 * imports a key into KMS (seconds each), so that route gets a fifth of the inputs to keep the suite fast.
 */
const runsOn = (route: ApiRoute, family: Family) =>
  route.operation.operationId === 'uploadCertificate' ? Math.ceil(family.runs / 5) : family.runs;

/** An answer slower than this would be cut by the function's timeout on AWS (a 502/504 to the client). */
const FUNCTION_TIMEOUT_MS = (route: ApiRoute) => (route.timeoutSeconds ?? 10) * 1000;

/** Inputs of this run, by status; printed at the end. */
const tally = { inputs: 0, fiveXx: 0, byStatus: new Map<number, number>() };

type HttpResult = { statusCode: number; headers?: Record<string, string>; body: string };
type Handler = (event: ApiEvent, context: unknown) => Promise<HttpResult>;

let world: World;
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  world = await startWorld();
  for (const route of apiRoutes) {
    const entry = new URL(`../../../${route.entry}`, import.meta.url).href;
    const module = (await import(/* @vite-ignore */ entry)) as { handler: Handler };
    handlers.set(route.entry, module.handler);
  }
}, 60_000);

afterAll(async () => {
  const statuses = [...tally.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  console.log(
    `[fuzz] ${tally.inputs} generated inputs over ${apiRoutes.length} routes in process; 5xx = ${tally.fiveXx}; ${statuses}`,
  );
  await world?.stop();
});

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let sequence = 0;

/** One input: the handler's answer is never a 5xx, always the envelope, and a 4xx changed nothing. */
async function check(context: RouteContext, request: FuzzRequest, budgetMs: number): Promise<void> {
  const requestId = `fuzz-${++sequence}`;
  const before = world.sideEffects();
  const started = performance.now();
  const response = await handlers.get(context.route.entry)!(
    proxyEvent(context, request, requestId),
    lambdaContext,
  );
  const elapsed = performance.now() - started;
  tally.inputs++;
  tally.byStatus.set(response.statusCode, (tally.byStatus.get(response.statusCode) ?? 0) + 1);
  if (response.statusCode >= 500) tally.fiveXx++;

  expect(response.statusCode, response.body).toBeLessThan(500);
  expect(elapsed, 'answered in time').toBeLessThan(budgetMs);
  if (response.statusCode === 302) {
    expect(response.headers?.location).toMatch(/^https?:\/\//);
  } else if (!context.route.operation.permission && response.statusCode === 200) {
    // The documentation routes: HTML and the OpenAPI document.
    expect(response.body.length).toBeGreaterThan(0);
  } else if (response.statusCode < 300) {
    expect(JSON.parse(response.body)).toEqual({ success: true, data: expect.anything() });
  } else {
    expect(JSON.parse(response.body)).toEqual({
      success: false,
      error: expect.any(String),
      code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
      details: expect.any(Array),
      requestId,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
    });
  }
  if (response.statusCode >= 400)
    expect(world.sideEffects(), 'side effects of a refused request').toEqual(before);
}

function property(context: RouteContext, family: Family) {
  const runs = runsOn(context.route, family);
  const requests = family.requests(context);
  return async () => {
    await fc.assert(
      fc.asyncProperty(requests!, (request) =>
        check(context, request, family.budgetMs ?? FUNCTION_TIMEOUT_MS(context.route)),
      ),
      { numRuns: runs, endOnFailure: true },
    );
  };
}

/** Inputs the general families generate in a full run (the row families come on top). */
let planned = 0;

for (const route of apiRoutes) {
  const context = routeContext(route, () => world.hkaTokens);
  describe(`${route.operation.method.toUpperCase()} ${route.operation.path}`, () => {
    for (const family of FAMILIES) {
      if (!family.requests(context)) continue;
      planned += runsOn(route, family);
      it(family.name, property(context, family), 120_000);
    }
    for (const family of ROW_FAMILIES) {
      if (!family.requests(context)) continue;
      const open = OPEN[route.operation.operationId]?.includes(family.row);
      (open ? it.fails : it)(family.name, property(context, family), 120_000);
    }
  });
}

it('plans at least 10,000 generated inputs per run', () => {
  expect(planned).toBeGreaterThanOrEqual(10_000);
});

describe('findings of this suite, kept as plain cases', () => {
  it('a folio sync by a tenant without stored HKA credentials is a 409, not a fault', async () => {
    // Prepare
    const route = apiRoutes.find((candidate) => candidate.operation.operationId === 'syncFolios')!;
    const context = routeContext(route, () => world.hkaTokens);
    const request: FuzzRequest = {
      claims: { sub: 'user-1', 'custom:tenantId': 'tenant-unconfigured', 'cognito:groups': ['ADMIN'] },
      pathParameters: {},
      query: [],
      headers: [['Idempotency-Key', 'sync-before-credentials']],
      body: null,
    };

    // Act
    const response = await handlers.get(route.entry)!(
      proxyEvent(context, request, 'fuzz-sync'),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toMatchObject({ success: false, code: 'HKA_CREDENTIALS_MISSING' });
  });
});
