/**
 * The rule catalogue: every rule run by both the pre-flight (`validate.ts`) and the HKA sandbox
 * (`local/hka-sandbox/validate-documento.ts`), in reporting order, with `run` turning findings into
 * each side's shape.
 */
import type { FiscalView } from '../../view/fiscal-view';
import { hkaFields } from '../../view/paths';
import type { Violation } from '../../violations';
import { contingencyFieldsRule, contingencyReasonLengthRule, contingencyStartRule } from './contingency';
import { futureEmissionRule, pastEmissionRule } from './dates';
import {
  destinationConfirmedRule,
  destinationTableRule,
  natureTableRule,
  noSaleTypeOnNotesRule,
  operationTypeTableRule,
} from './document-type';
import {
  exchangeRateInDollarsRule,
  exchangeRateRequiredRule,
  exportDataAbroadRule,
  exportDataRequiredRule,
  exportForeignReceiverRule,
} from './export';
import { itemIscZeroRule, totalIscZeroRule } from './isc';
import {
  itemDescriptionLengthRule,
  paymentDescriptionLengthRule,
  paymentOtherDescriptionRule,
  receiverAddressLengthRule,
  receiverNameLengthRule,
} from './lengths';
import { inOccurrence } from './messages';
import {
  countryDestinationRule,
  countryOtherRule,
  governmentCpbsRule,
  juridicalFinalConsumerRule,
} from './receiver';
import { foreignIdentityRule, rucDvRule, taxpayerFieldsRule } from './receiver-identity';
import { genericNoteCufeRule, referenceCufeRequiredRule, referenceCufeValidRule } from './reference-cufe';
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
  noSaleTypeOnNotesRule,
  exportDataRequiredRule,
  exportDataAbroadRule,
  taxpayerFieldsRule,
  foreignIdentityRule,
  rucDvRule,
  governmentCpbsRule,
  countryDestinationRule,
  countryOtherRule,
  juridicalFinalConsumerRule,
  exportForeignReceiverRule,
  exchangeRateRequiredRule,
  exchangeRateInDollarsRule,
  receiverNameLengthRule,
  receiverAddressLengthRule,
  itemDescriptionLengthRule,
  referenceCufeRequiredRule,
  referenceCufeValidRule,
  genericNoteCufeRule,
  referenceWindowRule,
  referenceNotAfterRule,
  referenceOffsetRule,
  referenceSameKindRule,
  contingencyFieldsRule,
  contingencyReasonLengthRule,
  contingencyStartRule,
  futureEmissionRule,
  pastEmissionRule,
  paymentOtherDescriptionRule,
  paymentDescriptionLengthRule,
  itemIscZeroRule,
  totalIscZeroRule,
];

/**
 * The pre-flight's reading: our model's paths, every severity. A rule names each path once, since
 * several HKA elements can come from one object of ours (the foreign id, the location, the CPBS).
 */
export function catalogueViolations(view: FiscalView, now: Date): Violation[] {
  return catalogue
    .filter((rule) => rule.appliesTo === 'both')
    .flatMap((rule) => {
      const paths = new Set<string>();
      return rule.check(view, { now }).flatMap((finding) => {
        const path = hkaFields[finding.field ?? rule.hkaField].path(finding.index ?? 0);
        if (paths.has(path)) return [];
        paths.add(path);
        return [
          {
            path,
            message: finding.detail ? `${finding.message} ${finding.detail}` : finding.message,
            code: rule.id,
            severity: rule.severity,
            ruleId: rule.id,
            hint: rule.hint,
          },
        ];
      });
    });
}

/** The sandbox's reading: HKA's messages of the blocking rules (HKA accepts what only warns). */
export function catalogueRejections(view: FiscalView, now: Date): string[] {
  return catalogue
    .filter((rule) => rule.severity === 'error')
    .flatMap((rule) =>
      rule.check(view, { now }).map((finding) => {
        const field = hkaFields[finding.field ?? rule.hkaField];
        return 'group' in field && finding.index !== undefined
          ? inOccurrence(field.group, finding.index + 1, finding.message)
          : finding.message;
      }),
    );
}
