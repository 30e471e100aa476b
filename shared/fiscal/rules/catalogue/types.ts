/**
 * A catalogue rule: one business rule with its evidence, written once against the common view and run
 * by both the pre-flight (our paths) and the HKA sandbox (HKA's messages).
 */
import type { FiscalView } from '../../view/fiscal-view';
import type { HkaField } from '../../view/paths';
import type { Severity } from '../../violations';

/** Where the rule comes from. */
export type EvidenceKind =
  | 'dgi-xsd'
  | 'hka-field-table'
  | 'hka-faq'
  | 'hka-combination-table'
  | 'dgi-ficha'
  | 'observed-rejection';

export type Confidence = 'confirmed' | 'likely' | 'unconfirmed';

export type Finding = {
  /** The element it names, when a rule checks several (its `hkaField` otherwise). */
  field?: HkaField;
  /** The occurrence (0-based) in the field's repeated group, for Item/FormaPago/… fields. */
  index?: number;
  /** HKA's message for the field, e.g. `El campo tipoDeCambio no debe ser informado`. */
  message: string;
  /** What the pre-flight adds and HKA does not say (the expected DV); the sandbox leaves it out. */
  detail?: string;
};

export type CatalogueRule = {
  readonly id: string;
  /** `error` blocks; `warning` never does. Unconfirmed rules, or ones HKA's examples contradict, warn. */
  readonly severity: Severity;
  readonly source: { readonly kind: EvidenceKind; readonly section: string };
  readonly confidence: Confidence;
  /** The element the rule is about (the one its corpus mutation breaks). */
  readonly hkaField: HkaField;
  /**
   * `documento`: only what HKA receives can break it, because `hka-documento.ts` never writes it
   * (ISC zero, fechaTZ offsets); the pre-flight skips it and the corpus proves the builder instead.
   */
  readonly appliesTo: 'both' | 'documento';
  /**
   * `amounts`: the rule reads the items' amounts and the totals, which the pre-flight knows only once
   * computed — it runs such rules on the view of the computed document (`view/from-computed.ts`), every
   * other rule on the view of the input. The sandbox runs all of them on the documento.
   */
  readonly reads?: 'amounts';
  /** How to fix it, in our model's terms. */
  readonly hint: string;
  readonly check: (view: FiscalView, context: { now: Date }) => Finding[];
};

export const rule = (definition: CatalogueRule): CatalogueRule => definition;
