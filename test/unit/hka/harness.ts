/** Client ↔ sandbox on 127.0.0.1, port 0, for the HKA tests. */

import { type HkaSandbox, type HkaSandboxOptions, startHkaSandbox } from '#local/hka-sandbox/index';
import { createHkaClient, type HkaClient, type HkaClientOptions } from '#shared/hka/client';
import type { HkaCallMetric } from '#shared/hka/metrics';
import type { HkaCredentials } from '#shared/hka/types';

export type Harness = {
  sandbox: HkaSandbox;
  client: HkaClient;
  credentials: HkaCredentials;
  metrics: HkaCallMetric[];
  /** POST /__admin/<path> with a JSON body. */
  admin(path: string, body: unknown, method?: string): Promise<unknown>;
  close(): Promise<void>;
};

export async function startHarness(
  sandboxOptions: HkaSandboxOptions = {},
  clientOptions: Partial<HkaClientOptions> = {},
): Promise<Harness> {
  const sandbox = await startHkaSandbox(sandboxOptions);
  const metrics: HkaCallMetric[] = [];
  const client = createHkaClient({
    endpoint: sandbox.url,
    timeoutMs: 2_000,
    metrics: (m) => metrics.push(m),
    ...clientOptions,
  });
  const [first] = sandbox.tokens;
  return {
    sandbox,
    client,
    credentials: { tokenEmpresa: first!.tokenEmpresa, tokenPassword: first!.tokenPassword },
    metrics,
    async admin(path, body, method = 'POST') {
      const res = await fetch(`${sandbox.adminUrl}/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.json();
    },
    async close() {
      client.close();
      await sandbox.close();
    },
  };
}

/** Fresh, unique document numbers per test file run. */
let counter = 0;
export function nextNumero(base: number): string {
  counter += 1;
  return String(base + counter).padStart(10, '0');
}
