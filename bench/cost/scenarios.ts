/**
 * The measured windows: each one resets the meters, causes exactly one kind of work, waits until the
 * local cloud is quiet again and takes the counts.
 *
 * - `happy`: N documents issued one after the other, each authorized on its first attempt.
 * - `oneRetry`: the durable wait through an HKA outage. HKA answers HTTP 503 until every document's first
 *   attempt has ended: the first tries fail, the circuit breaker opens, the later attempts stop before
 *   calling HKA, and every document waits (`WAITING_FOR_HKA`). Then HKA answers again; the test clock moves
 *   past the breaker's probe interval and the re-drive sweep runs as its schedule would: its probe closes the
 *   breaker and the waiting documents drain, each authorized on its second attempt.
 * - `batch`: the same documents as one `POST /v1/batches`: the batch's validation (every row pre-flighted),
 *   its row items and queues, then each row issued through the issue service, then the same pipeline.
 * - an idle re-drive sweep, the folio sync, API reads: the fixed and optional lines.
 */
import { PROBE_INTERVAL_SECONDS } from '#shared/hka/breaker';
import { TRANSIENT_RETRY } from '#state-machines/issuing-pipeline/definition';
import type { ApiRequests } from './document-lines';
import { type Driver, FINAL_STATUSES, type Issued, setSandboxFaults } from './driver';
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
  /** Documents waiting for HKA when the outage ended (every document of an outage window). */
  waitedThroughOutage: number;
  postFailures: string[];
  api: ApiRequests[];
  usage: Usage;
  /** Table bytes added by the window (items + index entries, with DynamoDB's 100-byte overheads). */
  tableBytesAdded: { table: number; indexes: number };
  seconds: number;
};

/** Submission tries in one attempt: the first plus the workflow's in-attempt retries. */
export const TRIES_PER_ATTEMPT = (TRANSIENT_RETRY.maxAttempts ?? 3) + 1;

/** More refused submissions than any outage window makes: the outage lasts until the scenario ends it. */
const OUTAGE_CALLS = 10_000;

export type ScenarioContext = {
  metered: MeteredCloud;
  driver: Driver;
  hkaLatencyMs: number;
  document: string;
  log: (line: string) => void;
};

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

/** HKA comes back: only the latency stays. */
async function endOutage(context: ScenarioContext, tenant: TenantContext, channel: Channel): Promise<void> {
  const latency = { kind: 'latency', ms: context.hkaLatencyMs };
  if (channel === 'hka-integration')
    await setSandboxFaults(context.metered.cloud.stack.hkaSandboxUrl, tenant.tokenEmpresa, [latency]);
  else context.metered.pacFaults.unavailableCalls = 0;
}

/** No document is being worked on: each is final or waits for HKA. */
const settled = (counts: Record<string, number>) =>
  Object.keys(counts).every((status) => FINAL_STATUSES.has(status) || status === 'WAITING_FOR_HKA');

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
  // An outage longer than the window: the sandbox refuses every submission until endOutage.
  const failures = kind === 'oneRetry' ? OUTAGE_CALLS : 0;
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
  let waitedThroughOutage = 0;
  if (kind === 'oneRetry') {
    await driver.until(
      async () =>
        metered.recorder.snapshot().executions.length >= issued.documentIds.length &&
        metered.recorder.inFlight === 0 &&
        settled(await driver.statuses(issued)),
      90_000,
    );
    waitedThroughOutage = (await driver.statuses(issued)).WAITING_FOR_HKA ?? 0;
    if (waitedThroughOutage !== issued.documentIds.length)
      context.log(`cost: ${channel} oneRetry: ${waitedThroughOutage} of ${issued.documentIds.length} waited`);
    await endOutage(context, tenant, channel);
    const sweep = scheduleFragment(context, 'RedriveDocuments');
    let moved = 0;
    try {
      for (let round = 0; round < 6; round++) {
        // The sweep's next minute, past the breaker's probe interval and the first wait.
        const minute = (PROBE_INTERVAL_SECONDS + 1) * 1000;
        metered.cloud.advanceClock(minute);
        moved += minute;
        metered.cloud.fireSchedules(sweep);
        sweepsFired += 1;
        await driver.quiet(1000, 30_000);
        if (Object.keys(await driver.statuses(issued)).every((status) => FINAL_STATUSES.has(status))) break;
      }
    } finally {
      metered.cloud.advanceClock(-moved);
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
    waitedThroughOutage,
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
