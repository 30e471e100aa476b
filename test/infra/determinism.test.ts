import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceKey, stackNamesOf, synth, synthInSubprocess } from './synth';

describe('deterministic synth', () => {
  it('a synth in a fresh process into another outdir gives byte-identical templates', async () => {
    const keyBefore = sourceKey();
    const outdir = mkdtempSync(join(tmpdir(), 'factu-infra-second-'));
    const second = synthInSubprocess(outdir); // runs in parallel with the shared synth
    const first = await synth();
    await second;
    if (sourceKey() !== keyBefore) {
      console.warn('sources changed during the test (someone is editing); determinism not judged this run');
      return;
    }
    expect(stackNamesOf(outdir)).toEqual(stackNamesOf(first.outdir));
    for (const stack of stackNamesOf(first.outdir)) {
      const a = readFileSync(join(first.outdir, `${stack}.template.json`), 'utf8');
      const b = readFileSync(join(outdir, `${stack}.template.json`), 'utf8');
      expect(b, stack).toBe(a);
    }
  });
});
