/**
 * What a note references (brief §9.2): a credit or debit note on an FE (04/05) references at least one
 * FE by CUFE; a generic note (06/07) references none by CUFE (paper or fiscal-printer invoices only); a
 * CUFE given carries a valid check digit.
 */
import { checkCufe } from '../../cufe';
import { forbidden, invalid, required } from './messages';
import { type Finding, rule } from './types';

const NOTES_ON_FE = new Set(['04', '05']);
const GENERIC_NOTES = new Set(['06', '07']);

export const referenceCufeRequiredRule = rule({
  id: 'references.cufe-required',
  severity: 'error',
  source: { kind: 'dgi-ficha', section: 'brief §9.2' },
  confidence: 'likely',
  hkaField: 'cufeFEReferenciada',
  appliesTo: 'both',
  hint: 'A credit-note or debit-note references the invoice it corrects: references[] with its cufe and issuedAt.',
  check: ({ tipoDocumento, referencias = [] }): Finding[] => {
    if (!NOTES_ON_FE.has(tipoDocumento ?? '')) return [];
    if (referencias.length === 0) {
      return [{ field: 'listaDocsFiscalReferenciados', message: required('listaDocsFiscalReferenciados') }];
    }
    if (referencias.some((ref) => ref.cufeFEReferenciada !== undefined)) return [];
    return referencias.map((_, index) => ({ index, message: required('cufeFEReferenciada') }));
  },
});

export const referenceCufeValidRule = rule({
  id: 'references.cufe-valid',
  severity: 'error',
  source: { kind: 'dgi-ficha', section: 'brief §4.2, §9.2' },
  confidence: 'confirmed',
  hkaField: 'cufeFEReferenciada',
  appliesTo: 'both',
  hint: 'Copy the referenced CUFE exactly as authorized (66 characters, its last digit a check digit).',
  check: ({ tipoDocumento, referencias = [] }): Finding[] => {
    if (GENERIC_NOTES.has(tipoDocumento ?? '')) return [];
    return referencias.flatMap((ref, index) => {
      if (ref.cufeFEReferenciada === undefined) return [];
      const check = checkCufe(ref.cufeFEReferenciada);
      return check.valid
        ? []
        : [{ index, message: invalid('cufeFEReferenciada', `CUFE inválido: ${check.reason}.`) }];
    });
  },
});

export const genericNoteCufeRule = rule({
  id: 'references.no-cufe-on-generic-notes',
  severity: 'error',
  source: { kind: 'dgi-ficha', section: 'brief §9.2' },
  confidence: 'likely',
  hkaField: 'cufeFEReferenciada',
  appliesTo: 'both',
  hint: 'A generic note references paper or fiscal-printer invoices; to correct an electronic invoice, issue a credit-note or debit-note.',
  check: ({ tipoDocumento, referencias = [] }): Finding[] =>
    GENERIC_NOTES.has(tipoDocumento ?? '')
      ? referencias.flatMap((ref, index) =>
          ref.cufeFEReferenciada === undefined ? [] : [{ index, message: forbidden('cufeFEReferenciada') }],
        )
      : [],
});
