/**
 * The rule catalogue: every rule run by both the pre-flight (`validate.ts`) and the HKA sandbox
 * (`local/hka-sandbox/validate-documento.ts`), in reporting order, with `run` turning findings into
 * each side's shape.
 */
import type { FiscalView } from '../../view/fiscal-view';
import { hkaFields } from '../../view/paths';
import type { Violation } from '../../violations';
import { contingencyStartRule } from './contingency';
import { futureEmissionRule, pastEmissionRule } from './dates';
import {
  destinationConfirmedRule,
  destinationTableRule,
  natureTableRule,
  operationTypeTableRule,
} from './document-type';
import { exchangeRateInDollarsRule, exchangeRateRequiredRule, exportForeignReceiverRule } from './export';
import { itemIscZeroRule, totalIscZeroRule } from './isc';
import {
  itemDescriptionLengthRule,
  paymentDescriptionLengthRule,
  paymentOtherDescriptionRule,
  receiverAddressLengthRule,
  receiverNameLengthRule,
} from './lengths';
import { inOccurrence } from './messages';
import { countryDestinationRule, juridicalFinalConsumerRule } from './receiver';
import {
  referenceNotAfterRule,
  referenceOffsetRule,
  referenceSameKindRule,
  referenceWindowRule,
} from './references';
import type { CatalogueRule } from './types';

export type { CatalogueRule, Confidence, EvidenceKind, Finding } from './types';

export const catalogue: readonly CatalogueRule[] = [
  natureTableRule,
  destinationConfirmedRule,
  destinationTableRule,
  operationTypeTableRule,
  countryDestinationRule,
  juridicalFinalConsumerRule,
  exportForeignReceiverRule,
  exchangeRateRequiredRule,
  exchangeRateInDollarsRule,
  receiverNameLengthRule,
  receiverAddressLengthRule,
  itemDescriptionLengthRule,
  referenceWindowRule,
  referenceNotAfterRule,
  referenceOffsetRule,
  referenceSameKindRule,
  contingencyStartRule,
  futureEmissionRule,
  pastEmissionRule,
  paymentOtherDescriptionRule,
  paymentDescriptionLengthRule,
  itemIscZeroRule,
  totalIscZeroRule,
];

/** The pre-flight's reading: our model's paths, every severity. */
export function catalogueViolations(view: FiscalView, now: Date): Violation[] {
  return catalogue
    .filter((rule) => rule.appliesTo === 'both')
    .flatMap((rule) =>
      rule.check(view, { now }).map((finding) => ({
        path: hkaFields[rule.hkaField].path(finding.index ?? 0),
        message: finding.message,
        code: rule.id,
        severity: rule.severity,
        ruleId: rule.id,
        hint: rule.hint,
      })),
    );
}

/** The sandbox's reading: HKA's messages of the blocking rules (HKA accepts what only warns). */
export function catalogueRejections(view: FiscalView, now: Date): string[] {
  return catalogue
    .filter((rule) => rule.severity === 'error')
    .flatMap((rule) =>
      rule.check(view, { now }).map((finding) => {
        const field = hkaFields[rule.hkaField];
        return 'group' in field && finding.index !== undefined
          ? inOccurrence(field.group, finding.index + 1, finding.message)
          : finding.message;
      }),
    );
}
