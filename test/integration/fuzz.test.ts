import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '#infra/routes';
import { FAMILIES, type FuzzRequest, routeContext } from '../unit/fuzz/requests.ts';
import { type ApiResponse, callApi, type Session, session } from './helpers/local-cloud.ts';

/**
 * Random requests over every route through the local cloud, as a client sends them over HTTP with real
 * tokens (the request shapes of the in-process fuzz): whatever the gateway or a function answers, never a
 * 5xx, and every refusal in the error envelope (the gateway's own answers included).
 */

const REQUESTS = 500;
const IN_FLIGHT = 6;

/**
 * Routes that change the tenant's configuration, which the other integration files rely on: an ADMIN (of
 * either demo tenant) only sends them malformed bodies, never a valid change — random HKA credentials stored
 * for the other tenant broke its folio syncs and issuing for the files after this one.
 */
const CONFIGURATION_WRITES = new Set([
  'putHkaCredentials',
  'putIssuingSettings',
  'uploadCertificate',
  'deleteCertificate',
]);

type Caller = 'ADMIN' | 'USER' | 'OPERATOR' | 'OTHER_TENANT_ADMIN' | 'NO_TOKEN' | 'FORGED_TOKEN';
const CALLERS: Caller[] = ['ADMIN', 'USER', 'OPERATOR', 'OTHER_TENANT_ADMIN', 'NO_TOKEN', 'FORGED_TOKEN'];

type Planned = { routeIndex: number; caller: Caller; request: FuzzRequest };

function plan(): Planned[] {
  const contexts = apiRoutes.map((route) =>
    routeContext(route, () => ({ tokenEmpresa: 'fuzz', tokenPassword: 'fuzz' })),
  );
  const planned = fc.integer({ min: 0, max: apiRoutes.length - 1 }).chain((routeIndex) => {
    const context = contexts[routeIndex]!;
    const families = FAMILIES.filter((family) => family.requests(context));
    return fc.tuple(fc.constantFrom(...families), fc.constantFrom(...CALLERS)).chain(([family, caller]) => {
      const guarded =
        CONFIGURATION_WRITES.has(context.route.operation.operationId) &&
        (caller === 'ADMIN' || caller === 'OTHER_TENANT_ADMIN');
      const chosen = guarded ? FAMILIES.find((f) => f.name === 'malformed bodies')! : family;
      return chosen.requests(context)!.map((request): Planned => ({ routeIndex, caller, request }));
    });
  });
  return fc.sample(planned, { numRuns: REQUESTS });
}

function url(planned: Planned): string {
  const { operation } = apiRoutes[planned.routeIndex]!;
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(planned.request.pathParameters[name] || 'x'),
  );
  const query = new URLSearchParams(planned.request.query).toString();
  return query ? `${path}?${query}` : path;
}

describe('fuzz through the local cloud', () => {
  const sessions = new Map<Caller, Session>();

  beforeAll(async () => {
    sessions.set('ADMIN', await session(0, 'ADMIN'));
    sessions.set('USER', await session(0, 'USER'));
    sessions.set('OPERATOR', await session(0, 'OPERATOR'));
    sessions.set('OTHER_TENANT_ADMIN', await session(1, 'ADMIN'));
  }, 120_000);

  it(`answers ${REQUESTS} random requests over every route without a 5xx, refusals in the envelope`, async () => {
    // Prepare
    const requests = plan();
    const forged = (() => {
      const token = sessions.get('ADMIN')!.token;
      const [header, payload] = token.split('.');
      return `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    })();
    const byStatus = new Map<number, number>();
    const failures: string[] = [];

    // Act
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const planned = requests[next++]!;
        const token =
          planned.caller === 'NO_TOKEN'
            ? undefined
            : planned.caller === 'FORGED_TOKEN'
              ? forged
              : sessions.get(planned.caller)!.token;
        const { method } = apiRoutes[planned.routeIndex]!.operation;
        // fetch refuses a header value outside Latin-1 or with control characters, as HTTP does.
        const headers = Object.fromEntries(
          planned.request.headers.filter(
            ([name, value]) => /^[!-~]+$/.test(name) && /^[\t -~]*$/.test(value),
          ),
        );
        const body =
          method === 'get' || method === 'delete' ? undefined : (planned.request.body ?? undefined);
        const response: ApiResponse = await callApi(method.toUpperCase(), url(planned), {
          token,
          body,
          headers,
        });
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        const problem = judge(response);
        if (problem)
          failures.push(
            `${method.toUpperCase()} ${url(planned).slice(0, 120)} as ${planned.caller}: ${problem}`,
          );
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));

    // Assess
    const fiveXx = [...byStatus]
      .filter(([status]) => status >= 500)
      .reduce((sum, [, count]) => sum + count, 0);
    const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
    console.log(
      `[fuzz:local-cloud] ${requests.length} requests over ${apiRoutes.length} routes; 5xx = ${fiveXx}; ${statuses.join(' ')}`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});

/** What is wrong with an answer, if anything: a 5xx, or a refusal outside the envelope. */
function judge(response: ApiResponse): string | undefined {
  if (response.status >= 500) return `${response.status} ${response.text.slice(0, 200)}`;
  if (response.status < 400) return undefined;
  const body = response.body as Record<string, unknown> | undefined;
  const enveloped =
    body?.success === false &&
    typeof body.error === 'string' &&
    typeof body.code === 'string' &&
    Array.isArray(body.details) &&
    typeof body.requestId === 'string' &&
    typeof body.timestamp === 'string';
  return enveloped ? undefined : `${response.status} outside the envelope: ${response.text.slice(0, 200)}`;
}
