/** The sandbox as the local cloud uses it: a child process, and state that survives a restart. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { startHkaSandbox } from '#local/hka-sandbox/index';
import { createHkaClient } from '#shared/hka/client';
import { datosOf, sampleDocumento } from './fixtures.ts';

describe('hka-sandbox process and persistence', () => {
  it('main.ts prints { url, tokens } as the first stdout line and serves requests', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'local/hka-sandbox/main.ts', '--port', '0', '--seed', '4'],
      {
        cwd: new URL('../../../', import.meta.url),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
      });
      const { url, tokens } = JSON.parse(firstLine) as {
        url: string;
        tokens: { tokenEmpresa: string; tokenPassword: string; ruc: string; dv: string }[];
      };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ws\/obj\/v1\.0\/Service\.svc$/);
      expect(tokens[0]).toMatchObject({ ruc: '2588017-1-831938', dv: '20' });
      const client = createHkaClient({ endpoint: url, timeoutMs: 5_000, metrics: () => {} });
      await expect(client.foliosRestantes(tokens[0]!)).resolves.toMatchObject({ codigo: '200' });
      client.close();
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('with dataDir, documents, folio counters and tokens survive a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hka-sandbox-'));
    try {
      const first = await startHkaSandbox({ dataDir, seed: 1 });
      const credentials = first.tokens[0]!;
      const client = createHkaClient({ endpoint: first.url, timeoutMs: 5_000, metrics: () => {} });
      const sent = await client.enviar(credentials, sampleDocumento({ numero: '0000000042' }));
      client.close();
      await first.close();

      const second = await startHkaSandbox({ dataDir, seed: 99 });
      const again = createHkaClient({ endpoint: second.url, timeoutMs: 5_000, metrics: () => {} });
      try {
        expect(second.tokens[0]).toEqual(credentials);
        await expect(again.estadoDocumento(credentials, datosOf('0000000042'))).resolves.toMatchObject({
          found: true,
          cufe: sent.authorization.cufe,
        });
        expect((await again.foliosRestantes(credentials)).cycleUsed).toBe(1);
        const xml = await again.descargaXml(credentials, datosOf('0000000042'));
        expect(xml.content.toString('utf8')).toContain(sent.authorization.cufe);
      } finally {
        again.close();
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
