/**
 * Referenced documents (§9.2): credit/debit notes referring to FEs (04/05) must reference ≥ 1 CUFE with
 * a valid check digit and its emission date; generic notes (06/07) must not reference a CUFE. The date
 * windows (180 days, not after the note) live in the rule catalogue (`catalogue/references.ts`).
 */
import { checkCufe, parseCufe } from '../cufe';
import { documentTypeProfiles } from '../document-types';
import { panamaDateCompact, parseDateTime } from '../panama-time';
import { computeRucDv, RucFormatError } from '../ruc-dv';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

function issuerViolations(
  issuer: { rucType: '1' | '2'; ruc: string; dv: string },
  path: string,
): Violation[] {
  try {
    const expected = computeRucDv(issuer.ruc, issuer.rucType);
    return expected === issuer.dv
      ? []
      : [
          violation(
            `${path}.dv`,
            `does not match RUC ${issuer.ruc} (expected ${expected})`,
            'RUC_DV_MISMATCH',
          ),
        ];
  } catch (error) {
    if (error instanceof RucFormatError) return [violation(`${path}.ruc`, error.message, error.code)];
    throw error;
  }
}

export const referencesRule = inputRule(['type', 'references'], (document) => {
  const profile = documentTypeProfiles[document.type];
  const references = document.references ?? [];
  const out: Violation[] = [];

  if (profile.references === 'cufe-required' && !references.some((ref) => ref.cufe !== undefined)) {
    out.push(
      violation(
        'references',
        `a ${document.type} must reference at least one electronic invoice by CUFE with its emission date`,
        'REFERENCE_REQUIRED',
      ),
    );
  }

  references.forEach((ref, index) => {
    const path = `references[${index}]`;
    const numbers = [ref.cufe, ref.paperInvoiceNumber, ref.fiscalPrinterInvoiceNumber].filter(
      (n) => n !== undefined,
    );
    if (numbers.length !== 1) {
      out.push(
        violation(
          path,
          'give exactly one of cufe, paperInvoiceNumber, fiscalPrinterInvoiceNumber',
          'REFERENCE_NUMBER',
        ),
      );
    }
    if (ref.issuer) out.push(...issuerViolations(ref.issuer, `${path}.issuer`));
    const refDate = parseDateTime(ref.issuedAt) as Date;
    if (ref.cufe !== undefined) {
      if (profile.references === 'no-cufe') {
        out.push(
          violation(
            `${path}.cufe`,
            `a ${document.type} must not reference an electronic invoice by CUFE (use a credit-note/debit-note)`,
            'CUFE_NOT_ALLOWED',
          ),
        );
        return;
      }
      const check = checkCufe(ref.cufe);
      if (!check.valid) {
        out.push(violation(`${path}.cufe`, `is not a valid CUFE: ${check.reason}`, 'CUFE_INVALID'));
        return;
      }
      const referenced = parseCufe(ref.cufe);
      const cufeDate = referenced.date;
      if (ref.issuer && referenced.ruc !== ref.issuer.ruc) {
        out.push(
          violation(
            `${path}.issuer.ruc`,
            `does not match the issuer RUC in the CUFE (${referenced.ruc})`,
            'REFERENCE_ISSUER',
          ),
        );
      }
      if (cufeDate !== panamaDateCompact(refDate)) {
        out.push(
          violation(
            `${path}.issuedAt`,
            `must be the emission date of the referenced CUFE (${cufeDate.slice(0, 4)}-${cufeDate.slice(4, 6)}-${cufeDate.slice(6, 8)})`,
            'REFERENCE_DATE_MISMATCH',
          ),
        );
      }
    }
  });
  return out;
});
