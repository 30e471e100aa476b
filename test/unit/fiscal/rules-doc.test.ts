/**
 * docs/fiscal-rules.md lists every catalogue rule with its severity and confidence: the table is what
 * readers trust, so it must not drift from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '#shared/fiscal/rules/catalogue/index';

const doc = readFileSync(new URL('../../../docs/fiscal-rules.md', import.meta.url), 'utf8');

/** `| \`rule.id\` | severity | confidence | …` rows of the rules table. */
const documented = [...doc.matchAll(/^\| `([a-z-]+\.[a-z0-9-]+)` \| (error|warning) \| (\w+) \|/gm)].map(
  ([, id, severity, confidence]) => ({ id, severity, confidence }),
);

describe('docs/fiscal-rules.md', () => {
  it('lists every catalogue rule once, in order, with its severity and confidence', () => {
    // Act
    const inCode = catalogue.map(({ id, severity, confidence }) => ({ id, severity, confidence }));

    // Assess
    expect(documented).toEqual(inCode);
  });
});
