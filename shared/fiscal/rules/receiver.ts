/**
 * Receiver consistency only our model can break (§9.3 of the domain brief): a DV given for a final
 * consumer needs the RUC type it is computed for. Presence per receiver type, the DV check and the
 * foreign id are the rule catalogue's (`catalogue/receiver-identity.ts`).
 */
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

const dvNeedsRucTypeRule = inputRule(['receiver'], ({ receiver }) => {
  const out: Violation[] = [];
  if (receiver.type === 'final-consumer' && receiver.dv !== undefined && receiver.rucType === undefined) {
    out.push(violation('receiver.rucType', 'is required to check the DV', 'REQUIRED'));
  }
  return out;
});

/** The receiver checks, in the order their violations are reported. */
export const receiverRules = [dvNeedsRucTypeRule] as const;
