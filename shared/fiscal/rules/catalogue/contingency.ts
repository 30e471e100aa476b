/**
 * Contingency (brief §9.4): emission types 02/04 carry the contingency start and a 15..250-character
 * reason, other types neither; the start must not be after the emission date (DGI code 1507,
 * unconfirmed — so a warning).
 */
import { parseDateTime } from '../../panama-time';
import { forbidden, invalid, required } from './messages';
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

const IN_CONTINGENCY = new Set(['02', '04']);
const CONTINGENCY_FIELDS = ['fechaInicioContingencia', 'motivoContingencia'] as const;

export const contingencyFieldsRule = rule({
  id: 'contingency.fields',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.4' },
  confidence: 'confirmed',
  hkaField: 'fechaInicioContingencia',
  appliesTo: 'both',
  hint: 'Give contingency (startedAt and a 15..250-character reason) exactly for emission types "contingency" and "posterior-contingency".',
  check: (view): Finding[] => {
    if (view.tipoEmision === undefined) return [];
    const inContingency = IN_CONTINGENCY.has(view.tipoEmision);
    return CONTINGENCY_FIELDS.filter((field) => (view[field] === undefined) === inContingency).map(
      (field) => ({ field, message: inContingency ? required(field) : forbidden(field) }),
    );
  },
});

export const contingencyReasonLengthRule = rule({
  id: 'contingency.reason-length',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.4' },
  confidence: 'confirmed',
  hkaField: 'motivoContingencia',
  appliesTo: 'both',
  hint: 'contingency.reason must have 15..250 characters.',
  check: ({ tipoEmision, motivoContingencia }): Finding[] =>
    IN_CONTINGENCY.has(tipoEmision ?? '') &&
    motivoContingencia !== undefined &&
    (motivoContingencia.length < 15 || motivoContingencia.length > 250)
      ? [{ message: invalid('motivoContingencia', 'Longitud entre 15 y 250.') }]
      : [],
});
