import { describe, expect, it } from 'vitest';
import { explainAnswer } from '#shared/hka/messages';
import { REJECTIONS } from '#shared/hka/rejections';

describe('rejection catalogue: every entry explains its sample answer', () => {
  it.each(REJECTIONS.map((entry) => [entry.code, entry] as const))('%s', (_code, entry) => {
    // Prepare
    const { hkaCode, mensaje, expected } = entry.sample;

    // Act
    const explanations = explainAnswer(mensaje, hkaCode);

    // Assess
    expect(explanations).toHaveLength(1);
    const [explanation] = explanations;
    expect(explanation).toMatchObject({
      code: entry.code,
      path: expected.path,
      hkaField: expected.hkaField,
      message: mensaje,
    });
    expect(explanation!.hint?.es).toMatch(/\S/);
    expect(explanation!.hint?.en).toMatch(/\S/);
    expect(`${explanation!.hint?.es} ${explanation!.hint?.en}`).not.toMatch(/\{(path|field)\}|\?(?=\W|$)/);
  });

  it('has one entry per code, each with its source', () => {
    const codes = REJECTIONS.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of REJECTIONS) expect(entry.source).toMatch(/§/);
  });
});
