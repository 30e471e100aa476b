import { describe, expect, it } from 'vitest';
import { parseBatchCsv } from '#shared/batches/csv';
import { BATCH_TEMPLATE } from '#shared/batches/template';
import invoiceTaxpayer from '../../../examples/documents/invoice-taxpayer.json' with { type: 'json' };
import { factu } from './factu.ts';

describe('factu batch template', () => {
  it('prints the template the batch upload reads: its example is the example invoice', async () => {
    // Prepare
    const args = ['batch', 'template'];

    // Act
    const run = await factu(args);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split(/\r?\n/)[0]).toBe(BATCH_TEMPLATE.map((column) => column.name).join(','));
    expect(parseBatchCsv(run.stdout)).toEqual([
      { reference: 'FAC-2026-0001', input: invoiceTaxpayer, lines: { first: 2, items: [2, 3] } },
    ]);
  });

  it('describes the columns with --json, and refuses another subcommand as a usage error', async () => {
    // Prepare
    const json = ['batch', 'template', '--json'];
    const unknown = ['batch', 'submit'];

    // Act
    const [described, refused] = await Promise.all([factu(json), factu(unknown)]);

    // Assess
    expect(described.code, described.stderr).toBe(0);
    expect(JSON.parse(described.stdout).columns).toContainEqual(
      expect.objectContaining({ name: 'itemQuantity', level: 'item' }),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('usage: factu batch template');
  });
});
