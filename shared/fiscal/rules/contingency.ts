/**
 * Contingency (§9.4): emission types 02/04 need the contingency start and a 15..250-char reason; the
 * start must not be after the emission date. Other emission types must not carry contingency data.
 */
import { parseDateTime } from '../panama-time';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

export const contingencyRule = inputRule(['emissionType', 'contingency', 'issuedAt'], (document, { now }) => {
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
  if (document.contingency) {
    const start = parseDateTime(document.contingency.startedAt) as Date;
    const issuedAt = document.issuedAt ? (parseDateTime(document.issuedAt) as Date) : now;
    if (start.getTime() > issuedAt.getTime()) {
      out.push(
        violation(
          'contingency.startedAt',
          'must not be after the emission date',
          'CONTINGENCY_START_AFTER_EMISSION',
        ),
      );
    }
  }
  return out;
});
