/**
 * HKA client ↔ sandbox round trips over keep-alive HTTP on 127.0.0.1: p50/p99 latency and calls/s for
 * Enviar and EstadoDocumento, sequential and with 16 concurrent callers. Measures our SOAP stack (soap
 * serialization, parsing, classification) plus the sandbox's validation, not HKA's own latency.
 * Writes bench/results/hka.json; `npm run bench` calls `runHkaBench()`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHkaSandbox } from '#local/hka-sandbox/index';
import { createHkaClient } from '#shared/hka/client';
import type { HkaCredentials, HkaDocumento } from '#shared/hka/types';
import { datosOf, sampleDocumento } from '#test/unit/hka/fixtures';

type Stats = { calls: number; p50Ms: number; p99Ms: number; meanMs: number; callsPerSecond: number };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(
  callers: number,
  callsPerCaller: number,
  call: (i: number) => Promise<unknown>,
): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let k = 0; k < callsPerCaller; k++) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    calls: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    callsPerSecond: Math.round(latencies.length / elapsedS),
  };
}

/** One full run against a sandbox that signs (like HKA) or not (isolates our SOAP stack). */
async function runAgainst(signRfe: boolean) {
  const sandbox = await startHkaSandbox({ seed: 1, signRfe });
  // One socket per concurrent caller: the pool is what keep-alive reuses.
  const client = createHkaClient({
    endpoint: sandbox.url,
    timeoutMs: 10_000,
    maxSockets: 16,
    metrics: () => {},
  });
  const [token] = sandbox.tokens;
  const credentials: HkaCredentials = {
    tokenEmpresa: token!.tokenEmpresa,
    tokenPassword: token!.tokenPassword,
  };
  let numero = 1_000_000;
  const documents = (count: number): HkaDocumento[] =>
    Array.from({ length: count }, () => sampleDocumento({ numero: String(numero++).padStart(10, '0') }));
  const enviar = (docs: HkaDocumento[]) => async (i: number) => {
    const result = await client.enviar(credentials, docs[i]!);
    if (result.duplicate) throw new Error('bench documents must be new');
  };
  const estado = async () => {
    const result = await client.estadoDocumento(credentials, datosOf('0001000000'));
    if (!result.found) throw new Error('bench document missing');
  };

  try {
    await measure(4, 25, enviar(documents(100))); // warm-up: JIT, WSDL, sockets
    const sequential = 400;
    const perCaller = 50;
    return {
      enviar: {
        sequential: await measure(1, sequential, enviar(documents(sequential))),
        concurrent16: await measure(16, perCaller, enviar(documents(16 * perCaller))),
      },
      estadoDocumento: {
        sequential: await measure(1, sequential, estado),
        concurrent16: await measure(16, perCaller, estado),
      },
    };
  } finally {
    client.close();
    await sandbox.close();
  }
}

export async function runHkaBench(): Promise<object> {
  const results = {
    benchmark: 'hka-client-sandbox',
    node: process.version,
    transport: 'http keep-alive, 127.0.0.1, client and sandbox in one process',
    at: new Date().toISOString(),
    // The sandbox signs each rFE at Enviar like HKA (xml-crypto, ~12 ms of sandbox CPU per document).
    sandboxSigning: await runAgainst(true),
    // Same run without the signature: what is left is the client's SOAP stack plus validation.
    sandboxWithoutSigning: await runAgainst(false),
  };
  const out = fileURLToPath(new URL('./results/hka.json', import.meta.url));
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await runHkaBench(), null, 2));
}
