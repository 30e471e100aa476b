/**
 * Contingency (brief §9.4): the contingency start must not be after the emission date (DGI code 1507,
 * unconfirmed — so a warning).
 */
import { parseDateTime } from '../../panama-time';
import { invalid } from './messages';
import { type Finding, rule } from './types';

export const contingencyStartRule = rule({
  id: 'contingency.start-before-emission',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §9.4 (DGI 1507)' },
  confidence: 'unconfirmed',
  hkaField: 'fechaInicioContingencia',
  appliesTo: 'both',
  hint: 'contingency.startedAt is when the outage began, on or before the emission date.',
  check: ({ fechaInicioContingencia, fechaEmision }): Finding[] => {
    const start = fechaInicioContingencia === undefined ? undefined : parseDateTime(fechaInicioContingencia);
    const emitted = fechaEmision === undefined ? undefined : parseDateTime(fechaEmision);
    return start && emitted && start.getTime() > emitted.getTime()
      ? [{ message: invalid('fechaInicioContingencia', 'No puede ser posterior a la fecha de emisión.') }]
      : [];
  },
});
