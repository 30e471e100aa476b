/**
 * What the API's Lambda authorizer adds to a call, on the local cloud: `GET /v1/folios` (a cheap route: one
 * GetItem) with the first demo tenant's USER API key, a few hundred times with the authorizer's answer cached
 * (the usual case: API Gateway caches it 60 s per Authorization header) and as many times uncached (the stage's
 * authorizer cache flushed before each call, so every call runs the authorizer function: HMAC, the lookup's
 * GetItem, the tenant's status, the `lastUsedAt` write at most once a minute). The same for a user's ID token
 * (aws-jwt-verify, JWKS cached after the first call). Added latency per call = uncached − cached, per
 * percentile. Absolute numbers include the local Lambda pool and DynamoDB Local on a shared 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { prepareAssembly } from './pipeline/assembly';
import { callApi, login } from './pipeline/client';
import { type BenchReport, formatMs, rounded, summarize, type Table } from './stats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUTE = '/v1/folios';

export type AuthorizerBenchOptions = { quick?: boolean; log?: (line: string) => void };

export async function runAuthorizerBench(options: AuthorizerBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const calls = options.quick ? 50 : 200;
  const workDir = mkdtempSync(join(tmpdir(), 'factu-bench-authorizer-'));
  let cloud: LocalCloud | undefined;
  try {
    const assembly = await prepareAssembly({ repoRoot: REPO_ROOT, into: workDir, timeoutMs: 600_000, log });
    log(`authorizer: assembly ${assembly.source}; starting the local cloud…`);
    cloud = await startLocalCloud({
      dataDir: join(workDir, 'data'),
      ports: 'auto',
      assemblyDir: assembly.assemblyDir,
      synth: false,
      ephemeralDynamoDb: true,
    });
    const stack = cloud.stack;
    const tenant = stack.demo.tenants[0];
    const apiKey = tenant?.apiKeys.find((key) => key.role === 'USER')?.secret;
    const user = tenant?.users.find((candidate) => candidate.role === 'USER');
    if (!apiKey || !user) throw new Error('the local cloud seeded no demo tenant with a USER key and user');
    const idToken = await login(stack, user.email, user.password);
    const flush = async () => {
      const response = await fetch(stack.authorizerCacheFlushUrl, { method: 'DELETE' });
      if (response.status !== 202) throw new Error(`authorizer cache flush answered ${response.status}`);
    };
    const timed = async (token: string, cached: boolean): Promise<number[]> => {
      const samples: number[] = [];
      // Warm: sandboxes of the route and the authorizer started, JWKS and hash secret loaded.
      for (let index = 0; index < 5; index++) {
        await flush();
        await callApi(stack.apiUrl, token, 'GET', ROUTE);
      }
      for (let index = 0; index < calls; index++) {
        if (!cached) await flush();
        let result = await callApi(stack.apiUrl, token, 'GET', ROUTE);
        // Stage throttling (50 rps) answers before the authorizer: wait for tokens, keep only the timed answer.
        while (result.status === 429) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          result = await callApi(stack.apiUrl, token, 'GET', ROUTE);
        }
        if (result.status !== 200)
          throw new Error(`GET ${ROUTE} answered ${result.status}: ${result.error ?? ''}`);
        samples.push(result.ms);
      }
      return samples;
    };

    const measured: Record<string, { cached: number[]; uncached: number[] }> = {};
    for (const [name, token] of [
      ['apiKey', apiKey],
      ['idToken', idToken],
    ] as const) {
      log(`authorizer: ${calls} calls with a ${name}, cached then uncached…`);
      measured[name] = { cached: await timed(token, true), uncached: await timed(token, false) };
    }
    const results = Object.fromEntries(
      Object.entries(measured).map(([name, { cached, uncached }]) => {
        const c = rounded(summarize(cached), 2);
        const u = rounded(summarize(uncached), 2);
        return [
          name,
          {
            cachedMs: c,
            uncachedMs: u,
            addedMs: {
              p50: Number((u.median - c.median).toFixed(2)),
              p99: Number((u.p99 - c.p99).toFixed(2)),
            },
          },
        ];
      }),
    );
    const report = {
      description:
        'GET /v1/folios through the local cloud with the authorizer answer cached (API Gateway, 60 s per Authorization header) and uncached (stage cache flushed before each call): the authorizer function runs on every uncached call. addedMs = uncached − cached per percentile.',
      route: ROUTE,
      callsPerCase: calls,
      ...results,
    };
    return { results: report, tables: [table(results)] };
  } finally {
    if (cloud) {
      log('authorizer: stopping the local cloud…');
      await cloud.stop();
    }
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(workDir, { recursive: true, force: true });
  }
}

type CaseResult = {
  cachedMs: ReturnType<typeof rounded>;
  uncachedMs: ReturnType<typeof rounded>;
  addedMs: { p50: number; p99: number };
};

function table(results: Record<string, CaseResult>): Table {
  return {
    title: `authorizer: GET ${ROUTE}, ms per call`,
    headers: [
      'credential',
      'cached p50',
      'cached p99',
      'uncached p50',
      'uncached p99',
      'added p50',
      'added p99',
    ],
    rows: Object.entries(results).map(([name, result]) => [
      name,
      formatMs(result.cachedMs.median),
      formatMs(result.cachedMs.p99),
      formatMs(result.uncachedMs.median),
      formatMs(result.uncachedMs.p99),
      formatMs(result.addedMs.p50),
      formatMs(result.addedMs.p99),
    ]),
  };
}
