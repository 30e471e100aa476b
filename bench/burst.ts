/**
 * Numbering under a burst, on the local cloud: 200 `POST /v1/documents` on ONE point of sale with 50 in
 * flight (`--quick`: 100 with 25), as a till system catching up after an outage would send them.
 *
 * It starts the whole local cloud in this process (as bench/pipeline.ts does, but with DynamoDB Local in
 * memory as the integration suite has it), signs in as the first demo
 * tenant's ADMIN and USER, synchronizes the tenant's folio pool with the HKA sandbox (so every document
 * debits the tenant-wide pool item, the cross-point-of-sale hot spot), creates a fresh point of sale (its
 * series starts at 1) and warms the sandboxes up on another one. Then the burst: each client posts a copy
 * of examples/documents/invoice-final-consumer.json with its own Idempotency-Key and, on 429 (stage
 * throttling), retries a second later with the same key, as a client would; accept latency runs from the
 * first try to the 202.
 *
 * Measured: accept p50/p99, statuses (5xx must be 0), IssueDocument's TransactWriteItems calls and their
 * cancellations per accepted document through the counting DynamoDB proxy (pipeline/dynamodb-proxy.ts), the
 * issue function's sandbox wait vs run time, and the series audit read straight from DynamoDB Local:
 * numbers 1..N, each claimed ISSUED by the document that answered with it, none voided or missing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AttributeValue, DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type LocalCloud, type LocalStack, startLocalCloud } from '#local/cloud';
import { keys } from '#shared/data/keys';
import { auditSeries, type SeriesAudit, storedClaim } from '#shared/data/series-audit';
import { prepareAssembly } from './pipeline/assembly';
import { callApi, login } from './pipeline/client';
import { type DynamoProxy, type OperationStats, startDynamoProxy } from './pipeline/dynamodb-proxy';
import { cpuBetween, type FunctionStats, instrumentLambdaPools, sampleCpu } from './pipeline/probes';
import { type BenchReport, formatMs, percentile, type Table } from './stats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/documents/invoice-final-consumer.json';
const BRANCH = '0000';
/** A point of sale of its own, created for the burst: its numbers start at 1. */
const BURST_POINT_OF_SALE = '200';
const ISSUE_FUNCTION = 'IssueDocumentFunction';
const GOALS = { acceptP99Ms: 5000, serverErrors: 0, transactionAttemptsPerDocument: 1.2 };

export type BurstBenchOptions = { quick?: boolean; log?: (line: string) => void };

type Attempt = {
  status: number;
  ms: number;
  number?: string;
  id?: string;
  throttled: number;
  error?: string;
};

export async function runBurstBench(options: BurstBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const documents = options.quick ? 100 : 200;
  const inFlight = options.quick ? 25 : 50;
  const started = Date.now();
  const recorder = instrumentLambdaPools();
  const workDir = mkdtempSync(join(tmpdir(), 'factu-bench-burst-'));
  let cloud: LocalCloud | undefined;
  let proxy: DynamoProxy | undefined;
  recorder.beforeFirstSandbox(async (_functionName, env) => {
    const target = env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!target) return;
    proxy ??= startDynamoProxy(target);
    env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.urlFor(_functionName);
  });

  try {
    const assembly = await prepareAssembly({ repoRoot: REPO_ROOT, into: workDir, timeoutMs: 110_000, log });
    log(`burst: assembly ${assembly.source}; starting the local cloud…`);
    cloud = await startLocalCloud({
      dataDir: join(workDir, 'data'),
      ports: 'auto',
      assemblyDir: assembly.assemblyDir,
      synth: false,
      // As the integration suite runs it: a throwaway data directory, DynamoDB Local in memory.
      ephemeralDynamoDb: true,
    });
    const stack = cloud.stack;
    const tenant = stack.demo.tenants[0];
    const userOf = (role: string) => tenant?.users.find((candidate) => candidate.role === role);
    const [user, admin] = [userOf('USER'), userOf('ADMIN')];
    if (!tenant || !user || !admin)
      throw new Error('the local cloud seeded no demo tenant with a USER and an ADMIN');
    const [userToken, adminToken] = await Promise.all([
      login(stack, user.email, user.password),
      login(stack, admin.email, admin.password),
    ]);
    const api = (token: string, method: string, path: string, body?: unknown, headers = {}) =>
      callApi(stack.apiUrl, token, method, path, {
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        headers,
      });

    const once = { 'idempotency-key': randomUUID() };
    const synced = await api(adminToken, 'POST', '/v1/folios/sync', undefined, once);
    const created = await api(
      adminToken,
      'POST',
      `/v1/branches/${BRANCH}/points-of-sale`,
      { code: BURST_POINT_OF_SALE, name: 'Burst' },
      { 'idempotency-key': randomUUID() },
    );
    if (synced.status !== 200 || created.status !== 201) {
      throw new Error(
        `set-up failed: folio sync ${synced.status} ${JSON.stringify(synced.body)}, point of sale ${created.status} ${JSON.stringify(created.body)}`,
      );
    }
    const example = JSON.parse(readFileSync(join(REPO_ROOT, EXAMPLE), 'utf8')) as Record<string, unknown>;
    const post = (pointOfSale: string) =>
      issueAsAClient(api, userToken, JSON.stringify({ ...example, branch: BRANCH, pointOfSale }));

    log('burst: warm-up (8 concurrent documents on point of sale 001, cold sandboxes)…');
    await Promise.all(Array.from({ length: 8 }, () => post('001')));
    // The warm-up's pipelines finish before the burst starts from a quiet machine.
    await sleep(5_000);

    log(`burst: ${documents} documents on point of sale ${BURST_POINT_OF_SALE}, ${inFlight} in flight…`);
    recorder.reset();
    proxy?.reset();
    const cpu0 = sampleCpu();
    const t0 = performance.now();
    const attempts: Attempt[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < documents) {
          next += 1;
          attempts.push(await post(BURST_POINT_OF_SALE));
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const cpu = cpuBetween(cpu0, sampleCpu());
    const lambda = recorder.stats()[ISSUE_FUNCTION];
    const dynamodb = proxy?.stats()[ISSUE_FUNCTION] ?? {};

    const audit = await readSeriesAudit(stack, tenant.tenantId);
    const result = summarize(attempts, documents, inFlight, wallMs, dynamodb, audit);
    const report = {
      description:
        'Numbering under a burst on the local cloud (DynamoDB Local in memory, as the integration suite runs it): POST /v1/documents on one point of sale (a fresh series), N documents with M in flight, folio pool synchronized (every document debits the tenant pool). Accept latency from the first try to the 202 (429s retried a second later with the same Idempotency-Key). transactionAttemptsPerDocument: TransactWriteItems calls of IssueDocument / accepted documents, counted by a DynamoDB pass-through. series: the audit of the burst series read from DynamoDB Local (numbers 1..N each claimed ISSUED by its document).',
      goals: GOALS,
      ...result,
      issueFunction: lambda,
      issueDynamoDb: dynamodb,
      cpu,
      document: EXAMPLE,
      durationSeconds: round((Date.now() - started) / 1000, 1),
    };
    log(
      `burst: accept p50 ${formatMs(result.acceptMs.p50)} ms p99 ${formatMs(result.acceptMs.p99)} ms, ${result.serverErrors} 5xx, ` +
        `${result.transactionAttemptsPerDocument} transactions/document, numbers contiguous: ${result.contiguous}`,
    );
    return { results: report, tables: tables(report, lambda) };
  } finally {
    recorder.beforeFirstSandbox(undefined);
    if (cloud) {
      log('burst: stopping the local cloud…');
      await cloud.stop();
    }
    await proxy?.close();
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(workDir, { recursive: true, force: true });
  }
}

/** POST until answered other than 429 (a second apart, at most 20 times), with one Idempotency-Key. */
async function issueAsAClient(
  api: (
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => ReturnType<typeof callApi>,
  token: string,
  body: string,
): Promise<Attempt> {
  const key = randomUUID();
  const t0 = performance.now();
  let throttled = 0;
  for (;;) {
    const response = await api(token, 'POST', '/v1/documents', body, { 'idempotency-key': key });
    if (response.status === 429 && throttled < 20) {
      throttled += 1;
      await sleep(1000);
      continue;
    }
    const data = (response.body as { data?: { id?: string; number?: string } } | undefined)?.data;
    return {
      status: response.status,
      ms: performance.now() - t0,
      id: data?.id,
      number: data?.number,
      throttled,
      ...(response.status === 202
        ? {}
        : { error: response.error ?? JSON.stringify(response.body).slice(0, 200) }),
    };
  }
}

/** The burst series' counter and claims, read straight from DynamoDB Local (as an operator would audit it). */
async function readSeriesAudit(stack: LocalStack, tenantId: string): Promise<SeriesAudit> {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: stack.endpoints.dynamodb,
    credentials: { ...stack.credentials },
  });
  const [table] = stack.resources.tables;
  try {
    const counter = await client.send(
      new GetItemCommand({
        TableName: table,
        Key: wireKey(keys.seriesCounter(tenantId, BRANCH, BURST_POINT_OF_SALE)),
        ConsistentRead: true,
      }),
    );
    const { pk, skPrefix } = keys.numberClaimPrefix(tenantId, BRANCH, BURST_POINT_OF_SALE);
    const claims = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: skPrefix } },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        claims.push(
          storedClaim(Object.fromEntries(Object.entries(item).map(([name, v]) => [name, v.S ?? v.N]))),
        );
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return auditSeries(Number(counter.Item?.lastNumber?.N ?? 0), claims);
  } finally {
    client.destroy();
  }
}

const wireKey = (key: { pk: string; sk: string }) => ({ pk: { S: key.pk }, sk: { S: key.sk } });

function summarize(
  attempts: Attempt[],
  documents: number,
  inFlight: number,
  wallMs: number,
  dynamodb: Record<string, OperationStats>,
  audit: SeriesAudit,
) {
  const accepted = attempts.filter((attempt) => attempt.status === 202);
  const latencies = accepted.map((attempt) => attempt.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const attempt of attempts) statuses[attempt.status] = (statuses[attempt.status] ?? 0) + 1;
  const transactions = dynamodb.TransactWriteItems;
  const cancelled = Object.entries(transactions?.errors ?? {})
    .filter(([type]) => type.startsWith('TransactionCanceled'))
    .reduce((sum, [, count]) => sum + count, 0);
  const numbers = accepted.map((attempt) => Number(attempt.number)).sort((a, b) => a - b);
  const contiguous = numbers.length === documents && numbers.every((value, index) => value === index + 1);
  return {
    documents,
    inFlight,
    wallSeconds: round(wallMs / 1000, 2),
    acceptedPerSecond: round(accepted.length / (wallMs / 1000), 1),
    statuses,
    serverErrors: attempts.filter((attempt) => attempt.status >= 500 || attempt.status === 0).length,
    throttledRetries: attempts.reduce((sum, attempt) => sum + attempt.throttled, 0),
    failureSamples: [
      ...new Set(
        attempts.flatMap((attempt) => (attempt.error ? [`${attempt.status} ${attempt.error}`] : [])),
      ),
    ].slice(0, 3),
    acceptMs: {
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies.at(-1) ?? Number.NaN, 1),
    },
    transactions: { calls: transactions?.calls ?? 0, cancelled, errors: transactions?.errors ?? {} },
    transactionAttemptsPerDocument: round((transactions?.calls ?? 0) / Math.max(1, accepted.length), 3),
    contiguous,
    series: audit,
  };
}

function tables(report: ReturnType<typeof summarize>, lambda: FunctionStats | undefined): Table[] {
  const goal = (ok: boolean) => (ok ? 'yes' : 'NO');
  return [
    {
      title: `Burst: ${report.documents} POSTs on one point of sale, ${report.inFlight} in flight (local cloud)`,
      headers: ['measure', 'value', 'goal', 'met'],
      rows: [
        ['accept p50', `${formatMs(report.acceptMs.p50)} ms`, '', ''],
        [
          'accept p99',
          `${formatMs(report.acceptMs.p99)} ms`,
          `≤ ${GOALS.acceptP99Ms} ms`,
          goal(report.acceptMs.p99 <= GOALS.acceptP99Ms),
        ],
        ['5xx', String(report.serverErrors), '0', goal(report.serverErrors === 0)],
        [
          'transactions / document',
          `${report.transactionAttemptsPerDocument} (${report.transactions.cancelled} cancelled of ${report.transactions.calls})`,
          `≤ ${GOALS.transactionAttemptsPerDocument}`,
          goal(report.transactionAttemptsPerDocument <= GOALS.transactionAttemptsPerDocument),
        ],
        [
          'numbers',
          `${report.contiguous ? `1–${report.documents} contiguous` : 'NOT contiguous'}; audit: ${report.series.issued} issued, ${report.series.voided.length} voided, ${report.series.missing.length} missing`,
          `1–${report.documents}`,
          goal(report.contiguous && report.series.voided.length === 0 && report.series.missing.length === 0),
        ],
        ['statuses', JSON.stringify(report.statuses), '', ''],
        ['throttled (429) retries', String(report.throttledRetries), '', ''],
        ['wall / accepted per s', `${report.wallSeconds} s / ${report.acceptedPerSecond}`, '', ''],
        ...(lambda
          ? [
              [
                'issue function: run p50 / p99, sandbox wait p50 / p99',
                `${formatMs(lambda.execP50Ms)} / ${formatMs(lambda.execP99Ms)} ms, ${formatMs(lambda.waitP50Ms)} / ${formatMs(lambda.waitP99Ms)} ms`,
                '',
                '',
              ],
            ]
          : []),
      ],
      notes: [
        'accept latency includes waiting for one of the local Lambda pool’s sandboxes (cap 8 per function) and the pipelines of accepted documents running on the same 2 cores',
      ],
    },
  ];
}

function round(value: number, decimals: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(decimals)) : value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
