/**
 * A counting pass-through in front of DynamoDB Local, one listener per Lambda function (so every call is
 * attributed to its function without touching the handlers): per function and operation (`X-Amz-Target`),
 * the number of calls, their time at DynamoDB Local (request received → response read, as seen from this
 * process) and the errors, with the cancellation reasons of a cancelled transaction (e.g.
 * `TransactionCanceled(ConditionalCheckFailed@item3)`: a failed condition on the transaction's fourth item).
 *
 * The bench points a function's sandboxes at its listener by rewriting `AWS_ENDPOINT_URL_DYNAMODB` in the
 * pool's environment before its first sandbox starts (see `probes.ts`). Bodies are relayed as they are;
 * the cost is one extra loopback hop per call on this process's main thread.
 */
import { Agent, request } from 'node:http';
import { percentile } from '../stats';
import { functionListeners } from './function-listeners';

type OperationSamples = { ms: number[]; errors: Record<string, number> };

export type OperationStats = {
  calls: number;
  p50Ms: number;
  p99Ms: number;
  totalSeconds: number;
  errors?: Record<string, number>;
};

export type DynamoProxy = {
  /** The endpoint a function should use (a listener created on first use). */
  urlFor(functionName: string): Promise<string>;
  reset(): void;
  /** Per function, per operation. */
  stats(): Record<string, Record<string, OperationStats>>;
  close(): Promise<void>;
};

export function startDynamoProxy(targetUrl: string): DynamoProxy {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const samples = new Map<string, Map<string, OperationSamples>>();

  const record = (fn: string, operation: string, ms: number, error?: string) => {
    let byOperation = samples.get(fn);
    if (!byOperation) {
      byOperation = new Map();
      samples.set(fn, byOperation);
    }
    let entry = byOperation.get(operation);
    if (!entry) {
      entry = { ms: [], errors: {} };
      byOperation.set(operation, entry);
    }
    entry.ms.push(ms);
    if (error) entry.errors[error] = (entry.errors[error] ?? 0) + 1;
  };

  const listeners = functionListeners((fn) => (incoming, outgoing) => {
    const started = performance.now();
    const operation = String(incoming.headers['x-amz-target'] ?? incoming.method)
      .split('.')
      .pop()!;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = response.statusCode ?? 0;
          record(fn, operation, performance.now() - started, status === 200 ? undefined : errorOf(body));
          outgoing.writeHead(status, response.headers);
          outgoing.end(body);
        });
        response.on('error', () => outgoing.destroy());
      },
    );
    upstream.on('error', (error) => {
      record(fn, operation, performance.now() - started, `proxy: ${error.message}`);
      outgoing.destroy();
    });
    incoming.pipe(upstream);
  });

  return {
    urlFor: listeners.urlFor,
    reset() {
      samples.clear();
    },
    stats() {
      const out: Record<string, Record<string, OperationStats>> = {};
      for (const [fn, byOperation] of [...samples.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        out[fn] = {};
        for (const [operation, entry] of byOperation) {
          const sorted = [...entry.ms].sort((a, b) => a - b);
          out[fn][operation] = {
            calls: sorted.length,
            p50Ms: round(percentile(sorted, 50), 1),
            p99Ms: round(percentile(sorted, 99), 1),
            totalSeconds: round(sorted.reduce((a, b) => a + b, 0) / 1000, 2),
            ...(Object.keys(entry.errors).length ? { errors: entry.errors } : {}),
          };
        }
      }
      return out;
    },
    async close() {
      await listeners.close();
      agent.destroy();
    },
  };
}

/** `TransactionCanceled(ConditionalCheckFailed+None…)` or the error `__type`'s last part. */
function errorOf(body: Buffer): string {
  try {
    const json = JSON.parse(body.toString('utf8')) as {
      __type?: string;
      CancellationReasons?: Array<{ Code?: string }>;
    };
    const type = (json.__type ?? 'unknown')
      .split('#')
      .pop()!
      .replace(/Exception$/, '');
    if (json.CancellationReasons) {
      const codes = json.CancellationReasons.map((reason) => reason.Code ?? 'None');
      const firstFailing = codes.findIndex((code) => code !== 'None');
      return `${type}(${codes[firstFailing] ?? 'None'}@item${firstFailing})`;
    }
    return type;
  } catch {
    return 'unreadable error body';
  }
}

function round(value: number, decimals: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(decimals)) : value;
}
