/**
 * The rule corpus: every catalogue rule broken at least once, and valid documents of every type, run
 * against BOTH the pre-flight (validateDocument on our model) and the HKA sandbox's validator
 * (validateDocumento on the documento our builder sends). An error rule must be refused by both, naming
 * the field (ours: the path; the sandbox: HKA's element); a warning rule must be accepted by both, the
 * pre-flight warning at the path; every valid example must be accepted by both. An arithmetic mutation
 * plays a computation bug (`computeDocument` changed under the pre-flight, below): the pre-flight must
 * refuse it with that very rule, and the sandbox the documento our builder makes of the wrong amounts.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type ComputedDocument, computeDocument } from '#shared/fiscal/compute';
import { type HkaDocumento, toHkaDocumento } from '#shared/fiscal/hka-documento';
import { type DocumentInputRaw, documentInputSchema } from '#shared/fiscal/model';
import { catalogue } from '#shared/fiscal/rules/catalogue/index';
import { validateDocument } from '#shared/fiscal/validate';
import { validateDocumento } from '../../../../local/hka-sandbox/validate-documento.ts';
import { demoContext } from '../support/demo-issuer';
import { EXAMPLES_NOW } from '../support/documents';
import { mutations } from './mutations';
import { validExamples } from './valid-examples';

const now = EXAMPLES_NOW;

/** A computation bug the next computations suffer (a `computed` mutation), or none. */
const computationBug = vi.hoisted(() => ({
  current: undefined as ((d: ComputedDocument) => void) | undefined,
}));
vi.mock('#shared/fiscal/compute', async (importOriginal) => {
  const original = await importOriginal<typeof import('#shared/fiscal/compute')>();
  return {
    ...original,
    computeDocument: (...args: Parameters<typeof original.computeDocument>) => {
      const document = original.computeDocument(...args);
      computationBug.current?.(document);
      return document;
    },
  };
});

/** The documento our builder makes of a document, whatever the computation returned for it. */
const builtDocumento = (raw: DocumentInputRaw): HkaDocumento =>
  toHkaDocumento(computeDocument(documentInputSchema.parse(raw), { now }), demoContext);

const exampleNamed = (name: string): DocumentInputRaw => {
  const found = validExamples.find((example) => example.name === name);
  if (!found) throw new Error(`no valid example ${name}`);
  return structuredClone(found.document);
};

/** The documento our builder sends for a valid document. */
function documentoOf(raw: DocumentInputRaw): HkaDocumento {
  const result = validateDocument(raw, { now });
  if (!result.ok) throw new Error(`not valid: ${JSON.stringify(result.violations)}`);
  return toHkaDocumento(result.document, demoContext);
}

const tally = { mutations: 0, rules: new Set<string>(), accepted: 0 };
afterAll(() => {
  console.log(
    `rule corpus: ${tally.mutations} mutations, ${tally.rules.size}/${catalogue.length} rules covered, ${tally.accepted}/${validExamples.length} valid examples accepted by both`,
  );
});

describe('rule corpus — valid examples of every document type', () => {
  it.each(validExamples.map((example) => [example.name, example.document] as const))(
    'accepts %s in the pre-flight and the sandbox',
    (_name, document) => {
      // Act
      const preflight = validateDocument(document, { now });
      const sandbox = preflight.ok ? validateDocumento(documentoOf(document), now) : ['(not built)'];

      // Assess
      expect(preflight.ok ? [] : preflight.violations).toEqual([]);
      expect(sandbox).toEqual([]);
      tally.accepted++;
    },
  );
});

describe('rule corpus — mutations', () => {
  it.each(mutations.map((mutation) => [mutation.ruleId, mutation] as const))(
    '%s: both places agree',
    (ruleId, mutation) => {
      // Prepare
      const rule = catalogue.find((r) => r.id === ruleId);
      if (!rule) throw new Error(`no catalogue rule ${ruleId}`);
      const base = exampleNamed(mutation.base);
      computationBug.current = mutation.computed;
      const documento = mutation.computed ? builtDocumento(base) : documentoOf(base);
      mutation.documento?.(documento);

      // Act
      const sandbox = validateDocumento(documento, now);
      const preflight = mutation.model
        ? validateDocument(mutation.model(exampleNamed(mutation.base)), { now })
        : mutation.computed && validateDocument(exampleNamed(mutation.base), { now });
      computationBug.current = undefined;

      // Assess
      if (rule.severity === 'error') {
        expect(sandbox.some((message) => message.includes(rule.hkaField))).toBe(true);
        if (preflight) {
          expect(preflight.ok).toBe(false);
          expect(!preflight.ok && preflight.violations.map((v) => v.path)).toContain(mutation.path);
          if (rule.reads === 'amounts') {
            expect(!preflight.ok && preflight.violations.map((v) => [v.path, v.ruleId])).toContainEqual([
              mutation.path,
              ruleId,
            ]);
          }
        } else {
          expect(rule.appliesTo).toBe('documento');
        }
      } else {
        expect(sandbox).toEqual([]);
        expect(preflight?.ok).toBe(true);
        expect(preflight?.warnings.map((w) => [w.path, w.ruleId])).toContainEqual([mutation.path, ruleId]);
      }
      tally.mutations++;
      tally.rules.add(ruleId);
    },
  );

  it('has a mutation for every rule of the catalogue', () => {
    // Act
    const uncovered = catalogue
      .map((rule) => rule.id)
      .filter((id) => !mutations.some((m) => m.ruleId === id));

    // Assess
    expect(uncovered).toEqual([]);
  });

  it('declares every rule with its evidence, once', () => {
    // Act
    const ids = catalogue.map((rule) => rule.id);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of catalogue) {
      expect(rule.source.section).toMatch(/^brief §/);
      expect(rule.hint.length).toBeGreaterThan(10);
      // Unconfirmed evidence never blocks (brief: warning, never a refusal).
      if (rule.confidence === 'unconfirmed') expect(rule.severity).toBe('warning');
    }
  });
});
