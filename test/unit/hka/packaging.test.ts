/**
 * The client as Lambda runs it: bundled by esbuild, without `wsdl/Service.wsdl` next to the bundle. The
 * WSDL is then rendered in memory, and calls must still work.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it("the Powertools sink emits single-metric EMF blobs carrying the call's operation and outcome", () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const sink = powertoolsMetricsSink(new Metrics({ namespace: 'factu', serviceName: 'hka-test' }));
      sink({ operation: 'Enviar', outcome: 'duplicate', latencyMs: 12.5, code: '102' });
    } finally {
      write.mockRestore();
    }
    const blobs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(blobs).toHaveLength(2);
    for (const blob of blobs) {
      expect(blob).toMatchObject({
        operation: 'Enviar',
        outcome: 'duplicate',
        service: 'hka-test',
        hkaCode: '102',
      });
    }
    expect(blobs.map((blob) => [blob.HkaCallLatency, blob.HkaCalls])).toEqual([
      [12.5, undefined],
      [undefined, 1],
    ]);
    const definitions = blobs.map(
      (blob) =>
        (blob._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: unknown[] }[] })
          .CloudWatchMetrics[0],
    );
    expect(definitions.map((d) => d?.Metrics)).toEqual([
      [{ Name: 'HkaCallLatency', Unit: 'Milliseconds' }],
      [{ Name: 'HkaCalls', Unit: 'Count' }],
    ]);
    for (const d of definitions)
      expect(d?.Dimensions[0]).toEqual(expect.arrayContaining(['operation', 'outcome']));
  });
});
