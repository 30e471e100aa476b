/**
 * Referenced documents (brief §9.2, §9.5): a referenced note corrects an invoice of at most 180 days
 * before it and (a warning) not one dated after it; every reference date is a fechaTZ with Panama's
 * −05:00 offset.
 */
import { checkCufe, parseCufe } from '../../cufe';
import { DAY_MS, parseDateTime } from '../../panama-time';
import { invalid } from './messages';
import { type Finding, rule } from './types';

/** HKA FAQ: a credit note is allowed up to 180 days after the invoice. */
export const NOTE_REFERENCE_WINDOW_DAYS = 180;
const REFERENCED_NOTES = new Set(['04', '05']);
const FECHA_TZ_PANAMA = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/;

const FIELD = 'fechaEmisionDocFiscalReferenciado';

/** Each reference's date against the note's own emission date, when both are known. */
function datedReferences(fechaEmision: string | undefined, referencias: { [FIELD]?: string }[] = []) {
  const emitted = fechaEmision === undefined ? undefined : parseDateTime(fechaEmision);
  if (!emitted) return [];
  return referencias.flatMap((ref, index) => {
    const date = ref[FIELD] === undefined ? undefined : parseDateTime(ref[FIELD]);
    return date ? [{ index, elapsed: emitted.getTime() - date.getTime() }] : [];
  });
}

export const referenceWindowRule = rule({
  id: 'references.within-180-days',
  severity: 'error',
  source: { kind: 'hka-faq', section: 'brief §9.2' },
  confidence: 'confirmed',
  hkaField: FIELD,
  appliesTo: 'both',
  hint: `A note corrects an invoice of at most ${NOTE_REFERENCE_WINDOW_DAYS} days before it; older ones cannot be corrected by a note.`,
  check: ({ tipoDocumento, fechaEmision, referencias }): Finding[] => {
    if (!REFERENCED_NOTES.has(tipoDocumento ?? '')) return [];
    return datedReferences(fechaEmision, referencias)
      .filter(({ elapsed }) => elapsed > NOTE_REFERENCE_WINDOW_DAYS * DAY_MS)
      .map(({ index }) => ({
        index,
        message: invalid(
          FIELD,
          `El documento referenciado tiene más de ${NOTE_REFERENCE_WINDOW_DAYS} días respecto de la fecha de emisión.`,
        ),
      }));
  },
});

/**
 * A note references an invoice that already exists, so a later reference date is a wrong date; but no
 * evidence says HKA or the DGI refuse it (§9.2 names only the CUFE and the 180 days), so a warning.
 */
export const referenceNotAfterRule = rule({
  id: 'references.not-after-emission',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §9.2' },
  confidence: 'unconfirmed',
  hkaField: FIELD,
  appliesTo: 'both',
  hint: 'The referenced document must be dated on or before this document.',
  check: ({ fechaEmision, referencias }): Finding[] =>
    datedReferences(fechaEmision, referencias)
      .filter(({ elapsed }) => elapsed < 0)
      .map(({ index }) => ({
        index,
        message: invalid(FIELD, 'No puede ser posterior a la fecha de emisión del documento.'),
      })),
});

export const referenceOffsetRule = rule({
  id: 'references.panama-offset',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4, §9.5' },
  confidence: 'confirmed',
  hkaField: FIELD,
  appliesTo: 'documento',
  hint: 'Send the date as AAAA-MM-DDThh:mm:ss-05:00 (Panama time).',
  check: ({ referencias = [] }): Finding[] =>
    referencias.flatMap((ref, index) =>
      ref[FIELD] === undefined || FECHA_TZ_PANAMA.test(ref[FIELD])
        ? []
        : [{ index, message: invalid(FIELD, 'Formato esperado AAAA-MM-DDThh:mm:ss-05:00.') }],
    ),
});

/** A credit note must not correct a credit note, nor a debit note a debit note (its type read from the CUFE). */
const SAME_KIND: Record<string, string> = { '04': '04', '05': '05' };

export const referenceSameKindRule = rule({
  id: 'references.same-kind-note',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §9.2 (DGI 1712–1716)' },
  confidence: 'unconfirmed',
  hkaField: 'cufeFEReferenciada',
  appliesTo: 'both',
  hint: 'A note corrects an invoice: reference the invoice, not another note of the same kind.',
  check: ({ tipoDocumento, referencias = [] }): Finding[] => {
    const forbidden = SAME_KIND[tipoDocumento ?? ''];
    if (forbidden === undefined) return [];
    return referencias.flatMap((ref, index) => {
      const cufe = ref.cufeFEReferenciada;
      if (cufe === undefined || !checkCufe(cufe).valid || parseCufe(cufe).documentType !== forbidden)
        return [];
      return [
        {
          index,
          message: invalid(
            'cufeFEReferenciada',
            `Una nota ${forbidden} no debe referenciar otra nota ${forbidden}.`,
          ),
        },
      ];
    });
  },
});
