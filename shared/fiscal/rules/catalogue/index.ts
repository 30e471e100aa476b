/**
 * The rule catalogue: every rule run by both the pre-flight (`validate.ts`, and `rules/amounts.ts` for the
 * arithmetic) and the HKA sandbox (`local/hka-sandbox/validate-documento.ts`), in reporting order, with
 * the functions below turning findings into each side's shape.
 */
import type { FiscalView } from '../../view/fiscal-view';
import { hkaFields } from '../../view/paths';
import type { Violation } from '../../violations';
import { amountFormatRule, unsignedAmountsRule } from './amount-format';
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
import { itemItbmsRule, itemPriceRule, itemTotalRule } from './item-amounts';
import {
  itemDescriptionLengthRule,
  paymentDescriptionLengthRule,
  paymentOtherDescriptionRule,
  receiverAddressLengthRule,
  receiverNameLengthRule,
} from './lengths';
import { inOccurrence } from './messages';
import { otiTotalsRule } from './oti-totals';
import { changeRule, installmentsTotalRule, receivedTotalRule } from './payment-totals';
import {
  countryDestinationRule,
  countryOtherRule,
  governmentCpbsRule,
  governmentJuridicalRule,
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
import {
  discountTotalRule,
  discountWithinItemsRule,
  invoiceTotalRule,
  iscTotalRule,
  itbmsTotalRule,
  itemCountRule,
  itemsTotalRule,
  netTotalRule,
  taxesTotalRule,
} from './totals';
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
  governmentJuridicalRule,
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
  amountFormatRule,
  unsignedAmountsRule,
  itemPriceRule,
  itemItbmsRule,
  itemTotalRule,
  netTotalRule,
  itbmsTotalRule,
  iscTotalRule,
  taxesTotalRule,
  itemsTotalRule,
  itemCountRule,
  discountTotalRule,
  discountWithinItemsRule,
  invoiceTotalRule,
  receivedTotalRule,
  changeRule,
  otiTotalsRule,
  installmentsTotalRule,
];

/** The pre-flight's reading of the rules over what the document states, on the view of the input. */
export function catalogueViolations(view: FiscalView, now: Date): Violation[] {
  return violationsOf(
    catalogue.filter((rule) => rule.reads === undefined),
    view,
    now,
  );
}

/** The pre-flight's reading of the arithmetic, on the view of the computed document. */
export function catalogueAmountViolations(view: FiscalView, now: Date): Violation[] {
  return violationsOf(
    catalogue.filter((rule) => rule.reads === 'amounts'),
    view,
    now,
  );
}

/**
 * Our model's paths, every severity. A rule names each path once, since several HKA elements can come
 * from one object of ours (the foreign id, the location, the CPBS, an item's amounts).
 */
function violationsOf(rules: CatalogueRule[], view: FiscalView, now: Date): Violation[] {
  return rules
    .filter((rule) => rule.appliesTo === 'both')
    .flatMap((rule) => {
      const paths = new Set<string>();
      return rule.check(view, { now }).flatMap((finding) => {
        const hkaField = finding.field ?? rule.hkaField;
        const path = hkaFields[hkaField].path(finding.index ?? 0);
        if (paths.has(path)) return [];
        paths.add(path);
        return [
          {
            path,
            message: finding.detail ? `${finding.message} ${finding.detail}` : finding.message,
            code: rule.id,
            severity: rule.severity,
            ruleId: rule.id,
            hkaField,
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
