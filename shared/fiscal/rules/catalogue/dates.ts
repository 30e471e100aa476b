/**
 * The emission-date window (brief §9.5): more than 2 (business) days ahead is a rejection and more than
 * 30 days back a warning — both unconfirmed, so both only warn. Calendar days, the stricter reading.
 */
import { DAY_MS, parseDateTime } from '../../panama-time';
import { invalid } from './messages';
import { type Finding, rule } from './types';

export const MAX_FUTURE_DAYS = 2;
export const MAX_PAST_DAYS = 30;

const elapsedDays = (fechaEmision: string | undefined, now: Date) => {
  const emitted = fechaEmision === undefined ? undefined : parseDateTime(fechaEmision);
  return emitted && (now.getTime() - emitted.getTime()) / DAY_MS;
};

export const futureEmissionRule = rule({
  id: 'dates.future-emission',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §9.5' },
  confidence: 'unconfirmed',
  hkaField: 'fechaEmision',
  appliesTo: 'both',
  hint: `Date the document today; the DGI may refuse one dated more than ${MAX_FUTURE_DAYS} days ahead.`,
  check: ({ fechaEmision }, { now }): Finding[] => {
    const days = elapsedDays(fechaEmision, now);
    return days !== undefined && days < -MAX_FUTURE_DAYS
      ? [
          {
            message: invalid(
              'fechaEmision',
              `La fecha de emisión no puede ser posterior a ${MAX_FUTURE_DAYS} días de la fecha actual.`,
            ),
          },
        ]
      : [];
  },
});

export const pastEmissionRule = rule({
  id: 'dates.past-emission',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §9.5' },
  confidence: 'unconfirmed',
  hkaField: 'fechaEmision',
  appliesTo: 'both',
  hint: `The DGI flags documents dated more than ${MAX_PAST_DAYS} days back; check the emission date.`,
  check: ({ fechaEmision }, { now }): Finding[] => {
    const days = elapsedDays(fechaEmision, now);
    return days !== undefined && days > MAX_PAST_DAYS
      ? [{ message: invalid('fechaEmision', `La fecha de emisión tiene más de ${MAX_PAST_DAYS} días.`) }]
      : [];
  },
});
