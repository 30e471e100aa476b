import { describe, expect, it } from 'vitest';
import { CONTINGENCY_CODES, contingencyProblem } from '#local/hka-sandbox/contingency';

const emitted = '2026-12-06T10:06:00-05:00';
const reason =
  'Falla de comunicación con el PAC The Factory HKA desde 06/12/2026 10:00; emisión en contingencia';

describe('HKA sandbox contingency rules', () => {
  it('accepts a 02 document whose contingency started before its emission, and a 01 without contingency fields', () => {
    // Act / Assess
    expect(
      contingencyProblem({
        iTpEmis: '02',
        dFechaEm: emitted,
        dFechaCont: '2026-12-06T10:00:00-05:00',
        dMotCont: reason,
      }),
    ).toBeUndefined();
    expect(
      contingencyProblem({ iTpEmis: '01', dFechaEm: emitted, dFechaCont: '', dMotCont: '' }),
    ).toBeUndefined();
  });

  it('refuses a contingency start after the emission with DGI code 1507', () => {
    // Act
    const problem = contingencyProblem({
      iTpEmis: '02',
      dFechaEm: emitted,
      dFechaCont: '2026-12-06T10:07:00-05:00',
      dMotCont: reason,
    });

    // Assess
    expect(problem?.code).toBe(CONTINGENCY_CODES.startAfterEmission);
    expect(problem?.code).toBe('1507');
  });

  it.each([
    ['02 without dFechaCont', { iTpEmis: '02', dFechaCont: '', dMotCont: reason }],
    ['04 without dMotCont', { iTpEmis: '04', dFechaCont: '2026-12-06T10:00:00-05:00', dMotCont: '' }],
    [
      '01 with contingency fields',
      { iTpEmis: '01', dFechaCont: '2026-12-06T10:00:00-05:00', dMotCont: reason },
    ],
  ])('refuses %s', (_case, fields) => {
    // Act
    const problem = contingencyProblem({ ...fields, dFechaEm: emitted });

    // Assess
    expect(problem?.code).toBe(CONTINGENCY_CODES.fields);
  });
});
