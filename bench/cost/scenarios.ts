/**
 * The measured windows: each one resets the meters, causes exactly one kind of work, waits until the
 * local cloud is quiet again and takes the counts.
 *
 * - `happy`: N documents issued one after the other, each authorized on its first attempt.
 * - `oneRetry`: the durable retry path. HKA answers HTTP 503 to every submission try of the first attempt
 *   (the in-attempt retries included), so each attempt ends scheduling the next one; once all first
 *   attempts have ended the re-drive sweep runs (as its schedule would a minute later) and the second
 *   attempts succeed.
 * - `batch`: the same documents as one `POST /v1/batches`: the batch's validation (every row pre-flighted),
 *   its row items and queues, then each row issued through the issue service, then the same pipeline.
 * - an idle re-drive sweep, the folio sync, API reads: the fixed and optional lines.
 */
import { TRANSIENT_RETRY } from '#state-machines/issuing-pipeline/definition';
import type { ApiRequests } from './document-lines';
import { type Driver, type Issued, sandboxFaultsOf, setSandboxFaults } from './driver';
import { storageBytes } from './dynamodb-capacity';
import type { MeteredCloud } from './metered-cloud';
import { type CostTemplate, functionNameOf, scheduleInvoking } from './template-model';
import type { Usage } from './usage';

export type Channel = 'hka-integration' | 'emitter-signed';
/** `batch`: the happy path through `POST /v1/batches` (one batch of N documents) instead of N POSTs. */
export type ScenarioKind = 'happy' | 'oneRetry' | 'batch';

export type TenantContext = {
  tenantId: string;
  ruc: string;
  tokenEmpresa: string;
  userToken: string;
};

export type ScenarioResult = {
  channel: Channel;
  kind: ScenarioKind;
  documents: number;
  documentIds: string[];
  statuses: Record<string, number>;
  /** Documents that needed a second attempt (their `attempt` ended above 1). */
  redriven: number;
  sweepsFired: number;
  faults: string;
  /** Injected HKA failures left unused when the first attempts ended (0: every try of each first attempt failed). */
  unusedFailures: number;
  postFailures: string[];
  api: ApiRequests[];
  usage: Usage;
  /** Table bytes added by the window (items + index entries, with DynamoDB's 100-byte overheads). */
  tableBytesAdded: { table: number; indexes: number };
  seconds: number;
};

/** Submission tries in one attempt: the first plus the workflow's in-attempt retries. */
export const TRIES_PER_ATTEMPT = (TRANSIENT_RETRY.maxAttempts ?? 3) + 1;

export type ScenarioContext = {
  metered: MeteredCloud;
  driver: Driver;
  hkaLatencyMs: number;
  redriveDelaySeconds: number;
  document: string;
  log: (line: string) => void;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The local rule-name fragment of the schedule that invokes a function (`MessagingRedriveSchedule`). */
export function scheduleFragment(context: ScenarioContext, functionFragment: string): string {
  const schedule = scheduleInvoking(context.metered.template, functionFragment);
  if (!schedule) throw new Error(`no schedule invokes a function named like ${functionFragment}`);
  return functionNameOf(schedule.logicalId);
}

async function setFaults(
  context: ScenarioContext,
  tenant: TenantContext,
  channel: Channel,
  failures: number,
) {
  const { hkaSandboxUrl } = context.metered.cloud.stack;
  const latency = { kind: 'latency', ms: context.hkaLatencyMs };
  if (channel === 'hka-integration') {
    const unavailable = { kind: 'http-503', operations: ['Enviar'], times: failures };
    await setSandboxFaults(
      hkaSandboxUrl,
      tenant.tokenEmpresa,
      failures > 0 ? [latency, unavailable] : [latency],
    );
    context.metered.pacFaults.latencyMs = 0;
    context.metered.pacFaults.unavailableCalls = 0;
    return failures > 0
      ? `HKA sandbox: latency ${context.hkaLatencyMs} ms on every call; http-503 on Enviar × ${failures}`
      : `HKA sandbox: latency ${context.hkaLatencyMs} ms on every call`;
  }
  await setSandboxFaults(hkaSandboxUrl, tenant.tokenEmpresa, [latency]);
  context.metered.pacFaults.latencyMs = context.hkaLatencyMs;
  context.metered.pacFaults.unavailableCalls = failures;
  return failures > 0
    ? `PAC reception (bench front): latency ${context.hkaLatencyMs} ms; HTTP 503 × ${failures}`
    : `PAC reception (bench front): latency ${context.hkaLatencyMs} ms`;
}

async function remainingFailures(context: ScenarioContext, tenant: TenantContext, channel: Channel) {
  if (channel === 'emitter-signed') return context.metered.pacFaults.unavailableCalls;
  const faults = await sandboxFaultsOf(context.metered.cloud.stack.hkaSandboxUrl, tenant.ruc);
  return faults
    .filter((fault) => fault.kind === 'http-503')
    .reduce((sum, fault) => sum + Number(fault.times ?? 0), 0);
}

/** Documents whose last attempt number is above 1. */
async function redrivenCount(context: ScenarioContext, issued: Issued): Promise<number> {
  const items = await context.driver.scanTable();
  const ids = new Set(issued.documentIds);
  return items.filter(
    (item) =>
      item.sk?.S === 'DOC' && ids.has(String(item.documentId?.S ?? '')) && Number(item.attempt?.N ?? '1') > 1,
  ).length;
}

/** Runs one scenario window: faults, documents, retries, quiet; returns its counts. */
export async function runScenario(
  context: ScenarioContext,
  tenant: TenantContext,
  channel: Channel,
  kind: ScenarioKind,
  documents: number,
): Promise<ScenarioResult> {
  const { metered, driver } = context;
  const failures = kind === 'oneRetry' ? documents * TRIES_PER_ATTEMPT : 0;
  const faults = await setFaults(context, tenant, channel, failures);
  const table = metered.template.tables[0]!;
  const before = storageBytes(await driver.scanTable(), table);
  await driver.quiet(500, 10_000);
  metered.recorder.reset();
  const started = performance.now();

  const issued =
    kind === 'batch'
      ? await driver.issueBatch(tenant.userToken, tenant.tenantId, context.document, documents)
      : await driver.issue(tenant.userToken, tenant.tenantId, context.document, documents);
  let sweepsFired = 0;
  let unusedFailures = 0;
  if (kind === 'oneRetry') {
    // Every first attempt ends (scheduling the next) before the sweep runs, as the lease delay makes it.
    await driver.until(
      () =>
        metered.recorder.snapshot().executions.length >= issued.documentIds.length &&
        metered.recorder.inFlight === 0,
      90_000,
    );
    unusedFailures = await remainingFailures(context, tenant, channel);
    if (unusedFailures !== 0)
      context.log(`cost: ${channel} oneRetry: ${unusedFailures} injected failures unused`);
    const sweep = scheduleFragment(context, 'RedriveDocuments');
    for (let round = 0; round < 4; round++) {
      await sleep(context.redriveDelaySeconds * 1000 + 300);
      metered.cloud.fireSchedules(sweep);
      sweepsFired += 1;
      const statuses = await driver.untilFinal(issued, 30_000);
      if (Object.keys(statuses).every((status) => status === 'AUTHORIZED' || status === 'REJECTED')) break;
      await driver.quiet(1000, 30_000);
    }
  }
  const statuses = await driver.untilFinal(issued, 60_000);
  // The e-mails follow asynchronously (EventBridge → SQS → Lambda → SES).
  const authorized = statuses.AUTHORIZED ?? 0;
  await driver.until(() => {
    const usage = metered.recorder.snapshot();
    return Object.values(usage.functions).reduce((sum, fn) => sum + fn.ses.emails, 0) >= authorized;
  }, 30_000);
  await driver.quiet(1500, 30_000);
  const usage = metered.recorder.snapshot();
  const seconds = (performance.now() - started) / 1000;

  const after = storageBytes(await driver.scanTable(), table);
  return {
    channel,
    kind,
    documents: issued.documentIds.length,
    documentIds: issued.documentIds,
    statuses,
    redriven: await redrivenCount(context, issued),
    sweepsFired,
    faults,
    unusedFailures,
    postFailures: issued.failures,
    api: [issued.api],
    usage,
    tableBytesAdded: { table: after.table - before.table, indexes: after.indexes - before.indexes },
    seconds,
  };
}

/** Fires a schedule `runs` times with nothing to do, one run at a time; returns the window's counts. */
export async function idleScheduleRuns(
  context: ScenarioContext,
  functionFragment: string,
  runs: number,
): Promise<Usage> {
  const { metered, driver } = context;
  const fragment = scheduleFragment(context, functionFragment);
  const name = functionNameFor(metered.template, functionFragment);
  await driver.quiet(500, 10_000);
  metered.recorder.reset();
  for (let run = 0; run < runs; run++) {
    metered.cloud.fireSchedules(fragment);
    await driver.until(() => (metered.recorder.snapshot().functions[name]?.invocations ?? 0) > run, 20_000);
    await driver.quiet(500, 20_000);
  }
  return metered.recorder.snapshot();
}

/** The template's name of the function a fragment designates. */
export function functionNameFor(template: CostTemplate, fragment: string): string {
  const fn =
    template.functions.find(
      (candidate) => candidate.name === fragment || candidate.name === `${fragment}Function`,
    ) ?? template.functions.find((candidate) => candidate.name.includes(fragment));
  if (!fn) throw new Error(`the template has no function named like ${fragment}`);
  return fn.name;
}

/** One folio sync run: the fan-out and each tenant's sync through the queue. */
export async function folioSyncRun(context: ScenarioContext): Promise<{ usage: Usage; tenants: number }> {
  const { metered, driver } = context;
  const fanOut = functionNameFor(metered.template, 'ScheduleFolioSync');
  const sync = functionNameFor(metered.template, 'SyncFolios');
  await driver.quiet(500, 10_000);
  metered.recorder.reset();
  metered.cloud.fireSchedules(scheduleFragment(context, 'ScheduleFolioSync'));
  // Every registered tenant gets a message (the demo tenants are the registered ones).
  const expected = metered.cloud.stack.demo.tenants.length;
  await driver.until(() => {
    const usage = metered.recorder.snapshot();
    return (
      (usage.functions[fanOut]?.invocations ?? 0) > 0 && (usage.functions[sync]?.sqsMessages ?? 0) >= expected
    );
  }, 30_000);
  await driver.quiet(1000, 30_000);
  const usage = metered.recorder.snapshot();
  return { usage, tenants: usage.functions[sync]?.sqsMessages ?? 0 };
}

/**
 * `paths.length` reads of the API, one after the other, as a client polling for outcomes makes them
 * (`GET /v1/documents/{id}` for one document, `GET /v1/documents` for the list); `route` names them.
 */
export async function apiReads(
  context: ScenarioContext,
  token: string,
  route: string,
  paths: string[],
): Promise<{ usage: Usage; api: ApiRequests; ok: number }> {
  const { metered, driver } = context;
  await driver.quiet(500, 10_000);
  metered.recorder.reset();
  let ok = 0;
  let bytes = 0;
  for (const path of paths) {
    const response = await driver.api(token, 'GET', path);
    if (response.status === 200) {
      ok += 1;
      bytes += Buffer.byteLength(JSON.stringify(response.body));
    }
  }
  await driver.quiet(500, 10_000);
  return {
    usage: metered.recorder.snapshot(),
    api: { method: 'GET', path: route, count: paths.length, meanResponseBytes: ok > 0 ? bytes / ok : 0 },
    ok,
  };
}
