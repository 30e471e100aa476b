import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { byteCorpus } from './fixtures/rfe-byte-corpus';
import { EXAMPLES_NOW } from './support/documents';
import { validate } from './support/violations';

/** SHA-256 (hex) and length of each corpus document's rFE as the DOM-based builder wrote it. */
const pinned = JSON.parse(
  readFileSync(new URL('./fixtures/rfe-xml-digests.json', import.meta.url), 'utf8'),
) as Record<string, { sha256: string; bytes: number }>;

describe('rFE bytes', () => {
  it('every corpus document has pinned bytes', () => {
    // Assess
    expect(Object.keys(pinned).sort()).toEqual(Object.keys(byteCorpus).sort());
  });

  it.each(Object.entries(byteCorpus))(
    '%s: the same bytes as before, to the last one',
    (_name, { input, context }) => {
      // Prepare
      const result = validate(input, EXAMPLES_NOW);
      if (!result.ok) throw new Error(`corpus document is invalid: ${JSON.stringify(result.violations)}`);

      // Act
      const { xml } = buildRfeXml(result.document, context);

      // Assess
      const bytes = Buffer.from(xml, 'utf8');
      expect({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }).toEqual(
        pinned[_name],
      );
    },
  );
});
