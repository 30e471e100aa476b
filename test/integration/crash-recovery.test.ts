import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/cloud';
import { type HkaSandbox, startHkaSandbox } from '#local/hka-sandbox/index';
import { INTEGRATION_ISSUING_TIMING } from './global-setup.ts';
import { exampleDocument, type Json, loginAt, pollUntil } from './helpers/local-cloud.ts';

/**
 * The local cloud is killed (SIGKILL, the whole process group) while documents are being issued, then
 * started again on the same data: every document reaches a final state on its own — no call to /retry —
 * none ends FAILED while HKA holds it, and none is at HKA twice. HKA (the sandbox) runs outside the killed
 * cloud, as the real one does.
 */

const repoRoot = join(import.meta.dirname, '..', '..');

function startCloud(dataDir: string, hka: HkaSandbox): Promise<{ child: ChildProcess; stack: LocalStack }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/helpers/cloud-process.ts'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FACTU_CLOUD_OPTIONS: JSON.stringify({
        dataDir,
        ports: 'auto',
        fastRetries: true,
        synth: false,
        schedules: { kind: 'manual', except: { RedriveSchedule: 1000 } },
        issuingTiming: INTEGRATION_ISSUING_TIMING,
        externalHka: { url: hka.url, tokens: hka.tokens },
      }),
    },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((candidate) => candidate.startsWith('READY '));
      if (line) resolve({ child, stack: JSON.parse(line.slice('READY '.length)) as LocalStack });
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('exit', (code) =>
      reject(new Error(`local cloud exited (${code}) before it was ready: ${errors}`)),
    );
  });
}

/** Kills the cloud and everything it started (DynamoDB Local's JVM included), like a crash. */
function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, signal);
  });
}

describe('a crash of the local cloud mid-pipeline', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'factu-crash-'));
  let hka: HkaSandbox;
  let cloud: { child: ChildProcess; stack: LocalStack } | undefined;

  beforeAll(async () => {
    hka = await startHkaSandbox({ port: 0, host: '127.0.0.1', dataDir: join(dataDir, 'hka') });
  });

  afterAll(async () => {
    if (cloud) await kill(cloud.child, 'SIGKILL');
    await hka?.close();
    // FACTU_KEEP_LOCAL=1 keeps the data directory (logs: <dir>/logs/local.log) for diagnosis.
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(dataDir, { recursive: true, force: true });
    else console.log(`[crash-recovery] data kept in ${dataDir}`);
  });

  it('every document reaches a final state after the restart, without /retry, once at HKA', async () => {
    cloud = await startCloud(dataDir, hka);
    const { stack } = cloud;
    const tenant = stack.demo.tenants[0]!;
    const user = tenant.users.find((candidate) => candidate.role === 'USER')!;
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as Json };
    };

    // HKA answers slowly: the documents are at HKA, or on their way, when the cloud dies.
    await fetch(`${hka.adminUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ruc: tenant.ruc, faults: [{ kind: 'latency', ms: 2500 }] }),
    });
    const token = await loginAt(stack, user.email, user.password);
    const issued = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(token, 'POST', '/v1/documents', exampleDocument('invoice-taxpayer.json')),
      ),
    );
    for (const response of issued) expect(response.status, JSON.stringify(response.body)).toBe(202);
    const ids = issued.map((response) => response.body.data.id as string);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await kill(cloud.child, 'SIGKILL');
    cloud = undefined;
    await fetch(`${hka.adminUrl}/faults`, { method: 'DELETE' });

    cloud = await startCloud(dataDir, hka);
    const restarted = cloud.stack;
    const again = await loginAt(restarted, user.email, user.password);
    const read = (id: string) =>
      fetch(`${restarted.apiUrl}/v1/documents/${id}`, { headers: { authorization: `Bearer ${again}` } }).then(
        async (response) => {
          const body = (await response.json()) as Json;
          if (response.status !== 200)
            throw new Error(`GET ${id}: ${response.status} ${JSON.stringify(body)}`);
          return body.data;
        },
      );
    const finals = await pollUntil(
      () => Promise.all(ids.map(read)),
      (docs) => docs.every((doc) => doc.status !== 'PROCESSING'),
      150_000,
    );
    expect(finals.map((doc) => doc.status)).toEqual(ids.map(() => 'AUTHORIZED'));

    const state = (await (await fetch(`${hka.adminUrl}/state`)).json()) as {
      tenants: Array<{
        ruc: string;
        documents: Array<{ numeroDocumentoFiscal: string; puntoFacturacionFiscal: string; cufe: string }>;
      }>;
    };
    const atHka = state.tenants.find((candidate) => candidate.ruc === tenant.ruc)!.documents;
    for (const doc of finals) {
      const stored = atHka.filter(
        (candidate) =>
          candidate.numeroDocumentoFiscal.padStart(10, '0') === doc.number &&
          candidate.puntoFacturacionFiscal.padStart(3, '0') === doc.pointOfSale,
      );
      expect(stored, doc.number).toHaveLength(1);
      expect(stored[0]!.cufe).toBe(doc.cufe);
    }
    let redriven = 0;
    for (const id of ids) {
      const events = await fetch(`${restarted.apiUrl}/v1/documents/${id}/events`, {
        headers: { authorization: `Bearer ${again}` },
      }).then(async (response) => ((await response.json()) as Json).data as Json[]);
      const types = events.map((event) => event.type);
      expect(types).not.toContain('RETRY_REQUESTED');
      if (types.includes('REDRIVEN')) redriven++;
    }
    // The crash did catch documents mid-attempt: the re-drive sweep finished them.
    expect(redriven).toBeGreaterThan(0);
    // Numbers: one each, consecutive, none reused.
    const numbers = finals.map((doc) => Number(doc.number)).sort((a, b) => a - b);
    const first = numbers[0]!;
    expect(numbers).toEqual(numbers.map((_, index) => first + index));
    console.log(
      `[crash-recovery] ${ids.length} documents in flight at SIGKILL; final ${finals.length}, stuck 0, re-driven ${redriven}; numbers ${first}–${numbers.at(-1)} without gaps or duplicates; once each at HKA`,
    );
  }, 300_000);
});
