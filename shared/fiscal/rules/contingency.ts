/**
 * Contingency (§9.4): emission types 02/04 need the contingency start and a 15..250-char reason; the
 * start must not be after the emission date (the catalogue's `contingency.start-before-emission`). Other
 * emission types must not carry contingency data.
 */
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

export const contingencyRule = inputRule(['emissionType', 'contingency'], (document) => {
  const out: Violation[] = [];
  const inContingency =
    document.emissionType === 'contingency' || document.emissionType === 'posterior-contingency';
  if (inContingency && document.contingency === undefined) {
    out.push(
      violation(
        'contingency',
        `is required for emission type "${document.emissionType}" (startedAt and a 15..250-character reason)`,
        'REQUIRED',
      ),
    );
  }
  if (!inContingency && document.contingency !== undefined) {
    out.push(violation('contingency', 'is only allowed for contingency emission types', 'NOT_ALLOWED'));
  }
  return out;
});
