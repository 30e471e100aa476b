/**
 * Referenced documents (§9.2), what only our model can break: one number per reference, the issuer's DV,
 * and a CUFE consistent with the issuer and the date given. Which notes reference a CUFE, its check
 * digit and the date windows are the rule catalogue's (`catalogue/reference-cufe.ts`, `references.ts`).
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
    // A CUFE refused by the catalogue (on a generic note, or malformed) has nothing to compare.
    if (ref.cufe !== undefined && profile.references !== 'no-cufe' && checkCufe(ref.cufe).valid) {
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
