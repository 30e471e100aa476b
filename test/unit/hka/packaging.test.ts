/**
 * The client as Lambda runs it: bundled by esbuild, without `wsdl/Service.wsdl` next to the bundle. The
 * WSDL is then rendered in memory, and calls must still work.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HkaSandbox, startHkaSandbox } from '#local/hka-sandbox/index';
import { powertoolsMetricsSink } from '#shared/hka/metrics';
import { createSoapClient } from '#shared/hka/wsdl-loader';

const root = new URL('../../../', import.meta.url);
// Inside node_modules so the bundle's external packages resolve from the repository's node_modules.
const outDir = fileURLToPath(new URL('node_modules/.cache/factu-hka-bundle-test/', root));

describe('packaging', () => {
  let sandbox: HkaSandbox;
  beforeAll(async () => {
    sandbox = await startHkaSandbox({ seed: 51 });
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('an esbuild bundle of the client works without the WSDL file beside it', async () => {
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('shared/hka/index.ts', root))],
      outfile: `${outDir}client.mjs`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      logLevel: 'silent',
    });
    const bundled = (await import(`${outDir}client.mjs`)) as typeof import('#shared/hka/index');
    const client = bundled.createHkaClient({ endpoint: sandbox.url, timeoutMs: 5_000, metrics: () => {} });
    try {
      await expect(client.foliosRestantes(sandbox.tokens[0]!)).resolves.toMatchObject({ codigo: '200' });
    } finally {
      client.close();
    }
  });

  it('an explicitly configured WSDL path must exist', async () => {
    await expect(createSoapClient(sandbox.url, '/nonexistent/Service.wsdl')).rejects.toThrow(/ENOENT/);
  });

  it('the Powertools sink emits one single-metric blob per call with operation and outcome', () => {
    const emitted: { dimensions: Record<string, string>; metrics: [string, string, number][] }[] = [];
    const sink = powertoolsMetricsSink({
      singleMetric() {
        const entry = { dimensions: {} as Record<string, string>, metrics: [] as [string, string, number][] };
        emitted.push(entry);
        return {
          addDimension: (name: string, value: string) => {
            entry.dimensions[name] = value;
          },
          addMetric: (name: string, unit: never, value: number) => {
            entry.metrics.push([name, unit, value]);
          },
        };
      },
    });
    sink({ operation: 'Enviar', outcome: 'duplicate', latencyMs: 12.5, code: '102' });
    expect(emitted).toEqual([
      {
        dimensions: { operation: 'Enviar', outcome: 'duplicate' },
        metrics: [
          ['HkaCallLatency', 'Milliseconds', 12.5],
          ['HkaCalls', 'Count', 1],
        ],
      },
    ]);
  });
});
