/**
 * Cost benchmark: the AWS cost per 1,000 documents, computed from the synthesized template and the calls
 * the code itself makes on the local cloud — never from typed-in counts.
 *
 * The whole local cloud runs in this process with every function's AWS calls going through a metering
 * pass-through (`cost/metered-cloud.ts`): DynamoDB request units as DynamoDB reports them
 * (`ReturnConsumedCapacity: INDEXES`, transactions computed from the items' images), S3 requests by class
 * and bytes stored, KMS requests by operation, SQS, SES, Secrets Manager, Step Functions starts; the
 * runtime meters count Lambda runs and their durations, log bytes, Express executions and their
 * durations, EventBridge events. Those counts, priced with the list prices of `cost/prices.ts` and the
 * memory, architecture, workflow type, schedule rates and routing of the template, give:
 *
 * - per 1,000 documents, for `hka-integration` and `emitter-signed`, `happy` (first attempt authorizes) and
 *   `oneRetry` (HKA 503 on every try of the first attempt, the re-drive's second attempt succeeds), with
 *   HKA answering 300 ms slower than the sandbox (a latency fault) as production would; and `batch`
 *   (`hka-integration`, the happy path through one `POST /v1/batches` of the same documents);
 * - fixed per tenant-month (Cognito users, the folio sync at its rate, the tenant's items) and per
 *   platform-month (the re-drive sweep every minute, queue polling, keys, secret, alarms);
 * - optional lines: e-mail delivery per e-mailed document, status polling per GET, storage per month.
 *
 * Writes bench/results/cost.json (through bench/run.ts) and prints the tables.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSUMPTIONS, EXAMPLE_DOCUMENT } from './cost/assumptions';
import { Driver } from './cost/driver';
import { startMeteredCloud } from './cost/metered-cloud';
import { buildReport } from './cost/results';
import {
  apiReads,
  type Channel,
  folioSyncRun,
  idleScheduleRuns,
  runScenario,
  type ScenarioContext,
  type ScenarioKind,
  type ScenarioResult,
  type TenantContext,
} from './cost/scenarios';
import { keySpecsOf, switchToEmitterSigned, tenantStorageBytes, tenants } from './cost/setup';
import type { BenchReport } from './stats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export type CostBenchOptions = { quick?: boolean; log?: (line: string) => void };

export async function runCostBench(options: CostBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const documents = options.quick ? 6 : 20;
  const started = Date.now();
  const redriveDelaySeconds = 1;
  const metered = await startMeteredCloud({ repoRoot: REPO_ROOT, log, redriveDelaySeconds });
  const { cloud, template } = metered;
  const stack = cloud.stack;
  const driver = new Driver(stack, metered.recorder);
  const phase = (name: string) => log(`cost: ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  try {
    phase(`local cloud ready (assembly ${metered.assembly.source})`);
    const context: ScenarioContext = {
      metered,
      driver,
      hkaLatencyMs: ASSUMPTIONS.hkaLatencyMs,
      document: readFileSync(join(REPO_ROOT, EXAMPLE_DOCUMENT), 'utf8'),
      log,
    };
    const [hkaTenant, emitterTenant, emitterAdminToken] = await tenants(stack);
    const tenantItemBytes = tenantStorageBytes(await driver.scanTable(), stack, template);

    phase('warm-up, hka-integration');
    await runScenario(context, hkaTenant, 'hka-integration', 'happy', 4);
    await runScenario(context, hkaTenant, 'hka-integration', 'oneRetry', 2);

    phase('emitter-signed: certificate upload and channel switch');
    const setup = await switchToEmitterSigned(context, emitterAdminToken, emitterTenant);
    phase('warm-up, emitter-signed');
    await runScenario(context, emitterTenant, 'emitter-signed', 'happy', 4);
    await runScenario(context, emitterTenant, 'emitter-signed', 'oneRetry', 2);

    phase(`idle re-drive sweep × ${ASSUMPTIONS.idleSweepRuns}`);
    const idleSweep = await idleScheduleRuns(context, 'RedriveDocuments', ASSUMPTIONS.idleSweepRuns);

    const results: ScenarioResult[] = [];
    for (const [channel, tenant] of [
      ['hka-integration', hkaTenant],
      ['emitter-signed', emitterTenant],
    ] as Array<[Channel, TenantContext]>) {
      for (const kind of ['happy', 'oneRetry'] as ScenarioKind[]) {
        phase(`${channel} ${kind}, ${documents} documents`);
        const result = await runScenario(context, tenant, channel, kind, documents);
        log(
          `cost: ${channel} ${kind}: ${JSON.stringify(result.statuses)}, re-driven ${result.redriven}, ` +
            `sweeps ${result.sweepsFired}, ${result.seconds.toFixed(1)} s`,
        );
        results.push(result);
      }
    }

    phase(`hka-integration batch, ${documents} documents in one POST /v1/batches`);
    const batch = await runScenario(context, hkaTenant, 'hka-integration', 'batch', documents);
    log(`cost: hka-integration batch: ${JSON.stringify(batch.statuses)}, ${batch.seconds.toFixed(1)} s`);
    results.push(batch);

    phase(`status polling × ${ASSUMPTIONS.pollingReads}, list × ${ASSUMPTIONS.pollingReads}`);
    const polled = results[0]!.documentIds;
    const polling = {
      status: await apiReads(
        context,
        hkaTenant.userToken,
        '/v1/documents/{id}',
        Array.from(
          { length: ASSUMPTIONS.pollingReads },
          (_, index) => `/v1/documents/${polled[index % polled.length]}`,
        ),
      ),
      list: await apiReads(
        context,
        hkaTenant.userToken,
        '/v1/documents',
        Array.from({ length: ASSUMPTIONS.pollingReads }, () => '/v1/documents'),
      ),
    };

    phase('folio sync run');
    const folio = await folioSyncRun(context);

    const kmsKeySpecs = await keySpecsOf(stack, [...results.map((result) => result.usage), setup.usage]);
    phase('model');
    return buildReport({
      template,
      results,
      idleSweep,
      polling,
      folio,
      setup,
      kmsKeySpecs,
      tenantItemBytes,
      documents,
      assemblySource: metered.assembly.source,
      elapsedSeconds: (Date.now() - started) / 1000,
    });
  } finally {
    driver.close();
    log('cost: stopping the local cloud…');
    await metered.close();
  }
}
