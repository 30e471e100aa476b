/**
 * Bulk issuing throughput on the local cloud: ONE `POST /v1/batches` of N documents (300; `--quick`: 100),
 * copies of examples/documents/invoice-final-consumer.json, followed as an integrator would: the batch read
 * every second until every row has ended, then its rows (`GET /v1/batches/{id}/rows`, which joins each
 * document's status) until every document is AUTHORIZED.
 *
 * It starts the whole local cloud in this process, DynamoDB Local in memory, as bench/burst.ts does, and
 * signs in as the first demo tenant's ADMIN. Measured: the POST's accept time, when the validation ended
 * (the batch leaves VALIDATING), when every row was issued (the batch DONE), when the last document was
 * AUTHORIZED; documents/s to AUTHORIZED = N / (POST → last AUTHORIZED seen); and each batch function's runs
 * (sandbox wait vs run time). The per-document cost of the batch path is in bench/cost.ts (`batch`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { prepareAssembly } from './pipeline/assembly';
import { callApi, login } from './pipeline/client';
import { type FunctionStats, instrumentLambdaPools } from './pipeline/probes';
import { type BenchReport, formatMs, type Table } from './stats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/documents/invoice-final-consumer.json';
const BATCH_FUNCTIONS = ['CreateBatch', 'ValidateBatch', 'IssueBatchRows', 'IssueDocument', 'ListBatchRows'];

export type BatchBenchOptions = { quick?: boolean; log?: (line: string) => void };

type Row = { row: number; status: string; documentStatus: string | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, decimals = 2) => Number(value.toFixed(decimals));

export async function runBatchBench(options: BatchBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const documents = options.quick ? 100 : 300;
  const started = Date.now();
  const recorder = instrumentLambdaPools();
  const workDir = mkdtempSync(join(tmpdir(), 'factu-bench-batch-'));
  let cloud: LocalCloud | undefined;
  try {
    const assembly = await prepareAssembly({ repoRoot: REPO_ROOT, into: workDir, timeoutMs: 110_000, log });
    log(`batch: assembly ${assembly.source}; starting the local cloud…`);
    cloud = await startLocalCloud({
      dataDir: join(workDir, 'data'),
      ports: 'auto',
      assemblyDir: assembly.assemblyDir,
      synth: false,
      ephemeralDynamoDb: true,
    });
    const stack = cloud.stack;
    const admin = stack.demo.tenants[0]?.users.find((user) => user.role === 'ADMIN');
    if (!admin) throw new Error('the local cloud seeded no demo tenant with an ADMIN');
    const token = await login(stack, admin.email, admin.password);
    const api = (method: string, path: string, body?: unknown) =>
      callApi(stack.apiUrl, token, method, path, {
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: method === 'POST' ? { 'idempotency-key': randomUUID() } : {},
      });
    const example = JSON.parse(readFileSync(join(REPO_ROOT, EXAMPLE), 'utf8')) as Record<string, unknown>;

    log('batch: warm-up (a batch of 8 documents, cold sandboxes)…');
    const warm = await api('POST', '/v1/batches', { documents: Array.from({ length: 8 }, () => example) });
    if (warm.status !== 202)
      throw new Error(`warm-up batch answered ${warm.status}: ${JSON.stringify(warm.body)}`);
    await untilAuthorized(api, idOf(warm.body), 8, 120_000);

    log(`batch: ${documents} documents in one POST /v1/batches…`);
    recorder.reset();
    const t0 = performance.now();
    const accepted = await api('POST', '/v1/batches', {
      documents: Array.from({ length: documents }, (_, index) => ({
        ...example,
        reference: `B-${index + 1}`,
      })),
    });
    const acceptMs = performance.now() - t0;
    if (accepted.status !== 202) {
      throw new Error(`the batch answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
    }
    const batchId = idOf(accepted.body);
    let validatedMs: number | undefined;
    let doneMs: number | undefined;
    for (;;) {
      const read = await api('GET', `/v1/batches/${batchId}`);
      const batch = (read.body as { data?: { status: string; finishedAt: string | null } }).data;
      const at = performance.now() - t0;
      if (batch && batch.status !== 'VALIDATING') validatedMs ??= at;
      if (batch?.finishedAt) {
        doneMs = at;
        break;
      }
      if (at > 900_000) throw new Error('the batch did not finish within 15 minutes');
      await sleep(1000);
    }
    const rows = await untilAuthorized(api, batchId, documents, 900_000);
    const authorizedMs = performance.now() - t0;
    const authorized = rows.filter((row) => row.documentStatus === 'AUTHORIZED').length;
    const functions = Object.fromEntries(
      Object.entries(recorder.stats()).filter(([name]) => BATCH_FUNCTIONS.some((fn) => name.startsWith(fn))),
    );
    const results = {
      description:
        'One POST /v1/batches of N documents on the local cloud (everything in this process but DynamoDB Local, in memory), read as a client would: GET the batch every second until every row has ended, then GET its rows (pages of 100, with their documents’ statuses) every second until every document is AUTHORIZED. documentsPerSecondAuthorized: N / (POST → last AUTHORIZED seen). Times from the POST. lambda: per batch function, sandbox wait vs run time (local pool: 8 sandboxes per function).',
      document: EXAMPLE,
      documents,
      authorized,
      acceptMs: round(acceptMs, 1),
      validatedSeconds: round((validatedMs ?? 0) / 1000),
      issuedSeconds: round((doneMs ?? 0) / 1000),
      authorizedSeconds: round(authorizedMs / 1000),
      documentsPerSecondAuthorized: round(authorized / (authorizedMs / 1000)),
      lambda: functions,
      durationSeconds: round((Date.now() - started) / 1000, 1),
    };
    log(
      `batch: ${authorized}/${documents} AUTHORIZED in ${results.authorizedSeconds} s → ${results.documentsPerSecondAuthorized} documents/s`,
    );
    return { results, tables: tables(results, functions) };
  } finally {
    if (cloud) {
      log('batch: stopping the local cloud…');
      await cloud.stop();
    }
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(workDir, { recursive: true, force: true });
  }
}

function idOf(body: unknown): string {
  const id = (body as { data?: { id?: string } } | undefined)?.data?.id;
  if (!id) throw new Error(`no id in ${JSON.stringify(body)}`);
  return id;
}

/** Reads every row (pages of 100) until all `count` have ended (see hasEnded), or the time is up. */
async function untilAuthorized(
  api: (method: string, path: string) => ReturnType<typeof callApi>,
  batchId: string,
  count: number,
  timeoutMs: number,
): Promise<Row[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const page = await api('GET', `/v1/batches/${batchId}/rows?${query}`);
      const data = (page.body as { data?: { items: Row[]; nextCursor: string | null } }).data;
      if (!data) throw new Error(`rows answered ${page.status}: ${JSON.stringify(page.body)}`);
      rows.push(...data.items);
      cursor = data.nextCursor;
    } while (cursor);
    if ((rows.length === count && rows.every(hasEnded)) || performance.now() > deadline) return rows;
    await sleep(1000);
  }
}

/** A row refused or skipped, or whose document reached a final status. */
const hasEnded = (row: Row) =>
  row.status === 'ISSUED'
    ? row.documentStatus !== null && row.documentStatus !== 'PROCESSING'
    : row.status !== 'VALID';

function tables(results: Record<string, unknown>, functions: Record<string, FunctionStats>): Table[] {
  return [
    {
      title: 'Bulk issuing on the local cloud: one POST /v1/batches → every document AUTHORIZED',
      headers: ['documents', 'accept', 'validated', 'issued (batch DONE)', 'all AUTHORIZED', 'documents/s'],
      rows: [
        [
          String(results.documents),
          `${formatMs(results.acceptMs as number)} ms`,
          `${results.validatedSeconds} s`,
          `${results.issuedSeconds} s`,
          `${results.authorizedSeconds} s`,
          String(results.documentsPerSecondAuthorized),
        ],
      ],
    },
    {
      title: 'Batch functions in the window',
      headers: ['function', 'runs', 'run p50', 'run p99', 'wait p99', 'max in flight'],
      rows: Object.entries(functions).map(([name, fn]) => [
        name,
        String(fn.invocations),
        `${formatMs(fn.execP50Ms)} ms`,
        `${formatMs(fn.execP99Ms)} ms`,
        `${formatMs(fn.waitP99Ms)} ms`,
        String(fn.maxInFlight),
      ]),
    },
  ];
}
