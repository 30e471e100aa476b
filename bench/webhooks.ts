/**
 * Webhook delivery latency on the local cloud: from a document's AUTHORIZED (its `authorizedAt`) to a
 * registered endpoint receiving its `document.authorized` delivery, over N documents (60; `--quick`: 20).
 *
 * It starts the whole local cloud in this process (DynamoDB Local in memory) as bench/batch.ts does, runs a
 * receiver (an HTTP server on 127.0.0.1, which the local cloud lets webhooks reach), registers it as the first
 * demo tenant's ADMIN, then issues the documents a few at a time and records when each delivery arrives. The
 * path measured: the pipeline's PutEvents → the bus rule → the fan-out queue → the fan-out function (reads
 * the endpoints and the document, writes the delivery) → the delivery queue → the delivery worker (KMS
 * Decrypt of the secret, cached; DNS check; signed POST).
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { verifySignature } from '#shared/webhooks/signature';
import { prepareAssembly } from './pipeline/assembly';
import { callApi, login } from './pipeline/client';
import { type BenchReport, formatMs, summarize, type Table } from './stats';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/documents/invoice-final-consumer.json';
/** Documents issued at once: about what the local pipeline authorizes per second. */
const CONCURRENCY = 4;

export type WebhooksBenchOptions = { quick?: boolean; log?: (line: string) => void };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, decimals = 1) => Number(value.toFixed(decimals));

export async function runWebhooksBench(options: WebhooksBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const documents = options.quick ? 20 : 60;
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'factu-bench-webhooks-'));
  const received = new Map<string, { at: number; eventAt: number; valid: boolean }>();
  let secret = '';
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as { type: string; createdAt: string; data: { id?: string } };
      const check = verifySignature(secret, raw, String(request.headers['factu-signature'] ?? ''), {
        now: new Date(),
      });
      if (body.type === 'document.authorized' && body.data.id && !received.has(body.data.id)) {
        received.set(body.data.id, { at, eventAt: Date.parse(body.createdAt), valid: check.valid });
      }
      response.writeHead(200);
      response.end();
    });
  });
  let cloud: LocalCloud | undefined;
  try {
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const assembly = await prepareAssembly({ repoRoot: REPO_ROOT, into: workDir, timeoutMs: 110_000, log });
    log(`webhooks: assembly ${assembly.source}; starting the local cloud…`);
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
    const created = await api('POST', '/v1/webhooks', { url, events: ['document.authorized'] });
    const endpoint = (created.body as { data?: { id: string; secret: string } }).data;
    if (created.status !== 201 || !endpoint) {
      throw new Error(`POST /v1/webhooks answered ${created.status}: ${JSON.stringify(created.body)}`);
    }
    secret = endpoint.secret;
    const example = JSON.parse(readFileSync(join(REPO_ROOT, EXAMPLE), 'utf8')) as Record<string, unknown>;

    const issueOne = async () => {
      const issued = await api('POST', '/v1/documents', example);
      const id = (issued.body as { data?: { id: string } }).data?.id;
      if (issued.status !== 202 || !id) throw new Error(`issue answered ${issued.status}`);
      return id;
    };
    log('webhooks: warm-up (4 documents, cold sandboxes)…');
    const warm = await Promise.all(Array.from({ length: 4 }, issueOne));
    await untilReceived(received, warm, 120_000);

    log(`webhooks: ${documents} documents, ${CONCURRENCY} at a time…`);
    const ids: string[] = [];
    for (let i = 0; i < documents; i += CONCURRENCY) {
      ids.push(
        ...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, documents - i) }, issueOne))),
      );
      await sleep(500);
    }
    await untilReceived(received, ids, 300_000);

    const latencies: number[] = [];
    const fromEvent: number[] = [];
    let invalid = 0;
    for (const id of ids) {
      const read = await api('GET', `/v1/documents/${id}`);
      const doc = (read.body as { data?: { status: string; authorizedAt: string | null } }).data;
      const got = received.get(id);
      if (!doc?.authorizedAt || !got) continue;
      if (!got.valid) invalid++;
      latencies.push(got.at - Date.parse(doc.authorizedAt));
      fromEvent.push(got.at - got.eventAt);
    }
    const deliveries = await api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`);
    const items =
      (deliveries.body as { data?: { items: { attempts: number; lastDurationMs: number }[] } }).data?.items ??
      [];
    const summary = summarize(latencies);
    const post = summarize(items.map((item) => item.lastDurationMs));
    const event = summarize(fromEvent);
    const results = {
      description:
        'document.authorized delivery latency on the local cloud (everything in this process but DynamoDB Local, in memory): from the document’s authorizedAt (read back with GET) to the receiver (an HTTP server on 127.0.0.1) getting the signed POST. Path: PutEvents → rule → fan-out queue → fan-out (endpoints, document, delivery item) → delivery queue → worker (secret decrypted once per container, DNS check, POST). authorizedAt is the time the pipeline recorded (before the finalize step archives the files and publishes); fromEventMs starts at the event’s time (EventBridge’s, whole seconds: up to 1 s too long), i.e. the webhook path alone; postMs is the POST itself as the worker measured it. The machine’s load average is in machine.loadAverage: on a shared 2-core machine the times are mostly queueing for CPU.',
      document: EXAMPLE,
      documents,
      received: latencies.length,
      invalidSignatures: invalid,
      retried: items.filter((item) => item.attempts > 1).length,
      latencyMs: {
        p50: round(summary.median),
        p95: round(summary.p95),
        p99: round(summary.p99),
        min: round(summary.min),
        max: round(summary.max),
      },
      fromEventMs: { p50: round(event.median), p99: round(event.p99) },
      postMs: { p50: round(post.median), p99: round(post.p99) },
      durationSeconds: round((Date.now() - started) / 1000),
    };
    log(
      `webhooks: ${latencies.length}/${documents} received; p50 ${results.latencyMs.p50} ms, p99 ${results.latencyMs.p99} ms`,
    );
    return { results, tables: tables(results) };
  } finally {
    if (cloud) {
      log('webhooks: stopping the local cloud…');
      await cloud.stop();
    }
    await new Promise<void>((done) => receiver.close(() => done()));
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(workDir, { recursive: true, force: true });
  }
}

async function untilReceived(
  received: ReadonlyMap<string, unknown>,
  ids: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ids.every((id) => received.has(id))) {
    if (Date.now() > deadline) return;
    await sleep(200);
  }
}

function tables(results: {
  documents: number;
  received: number;
  invalidSignatures: number;
  latencyMs: Record<string, number>;
  fromEventMs: Record<string, number>;
  postMs: Record<string, number>;
}): Table[] {
  const ms = (value: number | undefined) => `${formatMs(value ?? Number.NaN)} ms`;
  return [
    {
      title:
        'Webhook delivery on the local cloud: document AUTHORIZED → endpoint receives document.authorized',
      headers: [
        'documents',
        'received',
        'bad signatures',
        'p50',
        'p95',
        'p99',
        'max',
        'from event p50 / p99',
        'POST p50',
      ],
      rows: [
        [
          String(results.documents),
          String(results.received),
          String(results.invalidSignatures),
          ms(results.latencyMs.p50),
          ms(results.latencyMs.p95),
          ms(results.latencyMs.p99),
          ms(results.latencyMs.max),
          `${ms(results.fromEventMs.p50)} / ${ms(results.fromEventMs.p99)}`,
          ms(results.postMs.p50),
        ],
      ],
    },
  ];
}
