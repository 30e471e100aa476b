import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCufe } from '#shared/fiscal/cufe';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { demoContext } from './support/demo-issuer';
import { EXAMPLES_NOW } from './support/documents';
import { validate } from './support/violations';

const directory = new URL('../../../examples/documents/', import.meta.url);
const examples = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, directory), 'utf8'))] as const);

/** Codes that only exist in HKA's newer lists, not in the rFE v1.00 XSD (see shared/fiscal/MAPPING.md). */
const HKA_ONLY_EXAMPLES = new Set(['foreign-invoice.json']);

describe('examples/documents', () => {
  it.each(examples)('%s is valid at the examples clock', (_file, input) => {
    // Act
    const result = validate(input, EXAMPLES_NOW);

    // Assess
    expect(result.ok ? [] : result.violations).toEqual([]);
  });

  it.each(examples.filter(([file]) => !HKA_ONLY_EXAMPLES.has(file)))(
    '%s builds XSD-valid rFE XML',
    (_file, input) => {
      // Prepare
      const result = validate(input, EXAMPLES_NOW);
      if (!result.ok) throw new Error('invalid example');

      // Act
      const { xml, cufe } = buildRfeXml(result.document, demoContext);

      // Assess
      expect(validateRfeXml(xml)).toEqual({ valid: true });
      expect(checkCufe(cufe)).toEqual({ valid: true });
      expect(Object.keys(toHkaDocumento(result.document, demoContext))).toContain('totalesSubTotales');
    },
  );

  it('the foreign-operation invoice (10) is HKA-only: the v1.00 XSD rejects exactly iDoc 10 and iNatOp 04', () => {
    // Prepare
    const input = examples.find(([file]) => file === 'foreign-invoice.json')?.[1];
    const result = validate(input, EXAMPLES_NOW);
    if (!result.ok) throw new Error('invalid example');

    // Act
    const xsd = validateRfeXml(buildRfeXml(result.document, demoContext).xml);

    // Assess
    expect(xsd.valid).toBe(false);
    expect(!xsd.valid && xsd.errors).toEqual([
      expect.stringMatching(/iDoc.*'10'/),
      expect.stringMatching(/iNatOp.*'04'/),
    ]);
  });

  it('cover every document type 01–10 and every receiver type 01–04', () => {
    // Act
    const types = new Set(examples.map(([, input]) => input.type));
    const receivers = new Set(examples.map(([, input]) => input.receiver.type));

    // Assess
    expect(types.size).toBe(10);
    expect([...receivers].sort()).toEqual(['final-consumer', 'foreign', 'government', 'taxpayer']);
  });

  it('cover HKA’s pre-production test set (rates, discounts, zero price, 6 decimals)', () => {
    // Act
    const items = examples.flatMap(([, input]) => input.items as Record<string, string>[]);

    // Assess
    expect(new Set(items.map((i) => String(i.itbmsRate)))).toEqual(new Set(['0', '7', '10', '15']));
    expect(items.some((i) => i.unitDiscount !== undefined)).toBe(true);
    expect(examples.some(([, input]) => (input.discounts ?? []).length > 0)).toBe(true);
    expect(items.some((i) => Number(i.unitPrice) === 0)).toBe(true);
    expect(items.some((i) => /\.\d{6}$/.test(String(i.unitPrice)))).toBe(true);
  });
});
