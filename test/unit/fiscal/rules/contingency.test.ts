import { describe, expect, it } from 'vitest';
import { invoice } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

const contingency = {
  startedAt: '2026-11-22T08:00:00-05:00',
  reason: 'Caída del enlace con el PAC desde las 8:00',
};

describe('contingency rule', () => {
  it.each(['contingency', 'posterior-contingency'] as const)(
    'requires contingency data for %s',
    (emissionType) => {
      // Act
      const violations = violationsOf(invoice({ emissionType }));

      // Assess
      expect(violations).toEqual([
        expect.objectContaining({ path: 'contingency.startedAt', ruleId: 'contingency.fields' }),
        expect.objectContaining({ path: 'contingency.reason', ruleId: 'contingency.fields' }),
      ]);
    },
  );

  it('accepts a contingency started before the emission and maps it to iTpEmis 02', () => {
    // Act
    const result = validate(invoice({ emissionType: 'contingency', contingency }));

    // Assess
    expect(result.ok && result.document.codes.iTpEmis).toBe('02');
    expect(result.ok && result.document.contingency?.startedAt).toBe('2026-11-22T08:00:00-05:00');
  });

  it('warns on a contingency start after the emission date (DGI 1507, unconfirmed)', () => {
    // Act
    const result = validate(
      invoice({
        emissionType: 'contingency',
        contingency: { ...contingency, startedAt: '2026-11-22T11:00:00-05:00' },
      }),
    );

    // Assess
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'contingency.startedAt', ruleId: 'contingency.start-before-emission' }),
    ]);
  });

  it('needs a reason of 15..250 characters', () => {
    // Act
    const short = violationsOf(
      invoice({ emissionType: 'contingency', contingency: { ...contingency, reason: 'sin red' } }),
    );
    const long = violationsOf(
      invoice({ emissionType: 'contingency', contingency: { ...contingency, reason: 'x'.repeat(251) } }),
    );

    // Assess
    expect(paths(short)).toEqual(['contingency.reason']);
    expect(paths(long)).toEqual(['contingency.reason']);
  });

  it('refuses contingency data on a normal emission', () => {
    // Act
    const violations = violationsOf(invoice({ contingency }));

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'contingency.startedAt',
        message: 'El campo fechaInicioContingencia no debe ser informado',
      }),
      expect.objectContaining({
        path: 'contingency.reason',
        message: 'El campo motivoContingencia no debe ser informado',
      }),
    ]);
  });
});
