import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalCloud, type LocalStack, startLocalCloud } from '#local/cloud';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: LocalStack;
    /**
     * GET → the events recently put on the local EventBridge (`cloud.recentEvents()`), as JSON;
     * POST `schedules` → fire every schedule rule now (`cloud.fireSchedules()`), answers `{ fired }`;
     * POST `clock?advanceMs=<ms>` → move the test clock forward (`cloud.advanceClock()`), answers `{ offsetMs }`.
     */
    eventsUrl: string;
    /** The local cloud's logs (functions, emulators): tests check what must never be logged. */
    logsDir: string;
  }
}

/**
 * Issuing attempts in the integration suite: a dead attempt is re-driven after 30 s (longer than the HKA
 * client's 25 s timeout, so a slow attempt is not superseded), an unstarted one after 2 s, and transient
 * failures are retried three times a second apart.
 */
export const INTEGRATION_ISSUING_TIMING = {
  attemptLeaseSeconds: 30,
  startGraceSeconds: 2,
  redriveDelaysSeconds: [1, 1, 1],
  waitBaseSeconds: 1,
  waitCapSeconds: 4,
};

/**
 * Starts one local cloud for the integration project: synthesized app (cdk.out reused when up to date), free
 * ports (a developer's `npm start` may be running), a throwaway data directory, and shortened retries/waits.
 * Tests read the stack with `inject('stack')` (see helpers/local-cloud.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'factu-integration-'));
  let cloud: LocalCloud;
  try {
    // FACTU_ASSEMBLY_DIR runs an existing cloud assembly instead of synthesizing (debugging a given cdk.out).
    const assemblyDir = process.env.FACTU_ASSEMBLY_DIR;
    cloud = await startLocalCloud({
      dataDir,
      ports: 'auto',
      fastRetries: true,
      // A throwaway data directory: DynamoDB Local in memory halves its transaction latency, which a burst of
      // documents on one point of sale (number allocation) queues on.
      ephemeralDynamoDb: true,
      // The re-drive sweep runs on its own, as on AWS (faster); other schedules fire when a test asks.
      schedules: { kind: 'manual', except: { RedriveSchedule: 1000 } },
      issuingTiming: INTEGRATION_ISSUING_TIMING,
      ...(assemblyDir ? { assemblyDir } : {}),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  console.log(
    `[integration] local cloud ready in ${(cloud.stack.startupMs / 1000).toFixed(1)} s; logs: ${join(dataDir, 'logs', 'local.log')}`,
  );
  project.provide('stack', cloud.stack);
  project.provide('logsDir', join(dataDir, 'logs'));
  // Tests run in other processes than this setup: the bus's recent events reach them over loopback HTTP.
  const events = createServer(async (request, response) => {
    let body: unknown;
    if (request.method === 'POST' && request.url === '/schedules') body = { fired: cloud.fireSchedules() };
    else if (request.method === 'POST' && request.url?.startsWith('/clock?advanceMs=')) {
      body = {
        offsetMs: cloud.advanceClock(Number(new URL(request.url, 'http://x').searchParams.get('advanceMs'))),
      };
    } else body = cloud.recentEvents();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => events.listen(0, '127.0.0.1', resolve));
  project.provide('eventsUrl', `http://127.0.0.1:${(events.address() as AddressInfo).port}/`);
  return async () => {
    events.closeAllConnections();
    await new Promise((resolve) => events.close(resolve));
    await cloud.stop();
    // Keep the logs of a failed run for diagnosis: FACTU_KEEP_LOCAL=1 leaves the data directory in place.
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(dataDir, { recursive: true, force: true });
  };
}
