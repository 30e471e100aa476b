import { hkaOnlyCodes, paymentMethodCodes, xsdOtiCodes } from './codes';
import type { ComputedDocument } from './compute';
import type { Violation } from './violations';

const ACCEPTED_ON_HKA = 'the hka-integration channel accepts it';
/** `dNombRec` in the v1.00 XSD; HKA's Enviar takes up to 200 (brief §3.1, §8.4). */
const XSD_RECEIVER_NAME_MAX = 100;

/**
 * Codes HKA's newer lists know and the DGI rFE v1.00 XSD does not (panama-fe.md §8.5): type 10, natures
 * 03/04, payment 09, OTI 03–11; and receiver names of 101..200 characters (HKA's limit since the DGI's 2025
 * revision, beyond the v1.00 XSD's 100). An rFE we sign ourselves with one of them fails the XSD at the PAC
 * reception, so the emitter-signed channel refuses them up front, naming the field; HKA's own `Enviar`
 * takes them.
 */
export function beyondDgiXsd(doc: ComputedDocument): Violation[] {
  const violations: Violation[] = [];
  const refuse = (path: string, what: string) =>
    violations.push({
      path,
      message: `${what} is not in the DGI rFE v1.00 XSD, so the emitter-signed channel cannot sign it; ${ACCEPTED_ON_HKA}`,
      code: 'NOT_IN_DGI_XSD',
      severity: 'error',
    });

  if (hkaOnlyCodes.documentType.has(doc.codes.iDoc)) refuse('type', `document type ${doc.codes.iDoc}`);
  if (hkaOnlyCodes.operationNature.has(doc.codes.iNatOp))
    refuse('operationNature', `operation nature ${doc.codes.iNatOp}`);
  doc.payments.forEach((payment, index) => {
    const code = paymentMethodCodes[payment.method];
    if (hkaOnlyCodes.paymentMethod.has(code)) refuse(`payments[${index}].method`, `payment method ${code}`);
  });
  const name = doc.receiver.name;
  if (name !== undefined && name.length > XSD_RECEIVER_NAME_MAX)
    refuse('receiver.name', `a receiver name longer than ${XSD_RECEIVER_NAME_MAX} characters`);
  doc.items.forEach((item, itemIndex) => {
    (item.oti ?? []).forEach((oti, otiIndex) => {
      if (!xsdOtiCodes.has(oti.code))
        refuse(`items[${itemIndex}].oti[${otiIndex}].code`, `OTI code ${oti.code}`);
    });
  });
  return violations;
}
