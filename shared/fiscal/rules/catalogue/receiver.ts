/**
 * Receiver rules HKA states (brief §8.4, §8.6, §9.3): a juridical RUC is a contribuyente (01), never a
 * consumidor final; `pais` is PA for destino 1 and not PA for destino 2; `paisOtro` names a country outside
 * the catalog (ZZ) and only then; a government receiver (03) needs the CPBS classification on every item,
 * and is a juridical person (a warning: see `governmentJuridicalRule`).
 */
import { forbidden, invalid, required } from './messages';
import { type Finding, rule } from './types';

export const juridicalFinalConsumerRule = rule({
  id: 'receiver.juridical-final-consumer',
  severity: 'error',
  source: { kind: 'hka-faq', section: 'brief §8.6' },
  confidence: 'confirmed',
  hkaField: 'tipoClienteFE',
  appliesTo: 'both',
  hint: 'A juridical RUC (rucType 2) is invoiced as receiver type "taxpayer".',
  check: ({ cliente }): Finding[] =>
    cliente?.tipoClienteFE === '02' && cliente.tipoContribuyente === '2'
      ? [{ message: invalid('tipoClienteFE', 'Un RUC jurídico debe informarse como contribuyente (01).') }]
      : [],
});

export const countryDestinationRule = rule({
  id: 'receiver.country-destination',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4' },
  confidence: 'confirmed',
  hkaField: 'pais',
  appliesTo: 'both',
  hint: 'receiver.country is "PA" when the destination is Panama and another country when abroad.',
  check: ({ destinoOperacion, cliente }): Finding[] => {
    const pais = cliente?.pais;
    if (pais === undefined) return [];
    if (destinoOperacion === '1' && pais !== 'PA') {
      return [{ message: invalid('pais', 'Para destino 1 (Panamá) el país debe ser PA.') }];
    }
    if (destinoOperacion === '2' && pais === 'PA') {
      return [{ message: invalid('pais', 'Para destino 2 (extranjero) el país no puede ser PA.') }];
    }
    return [];
  },
});

export const countryOtherRule = rule({
  id: 'receiver.country-other',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4' },
  confidence: 'confirmed',
  hkaField: 'paisOtro',
  appliesTo: 'both',
  hint: 'Give receiver.countryName exactly when receiver.country is "ZZ" (a country not in the catalog).',
  check: ({ cliente }): Finding[] => {
    if (cliente?.pais === undefined) return [];
    if (cliente.pais === 'ZZ')
      return cliente.paisOtro === undefined ? [{ message: required('paisOtro') }] : [];
    return cliente.paisOtro === undefined ? [] : [{ message: forbidden('paisOtro') }];
  },
});

const CPBS_FIELDS = ['codigoCPBSAbrev', 'codigoCPBS', 'unidadMedidaCPBS'] as const;

export const governmentCpbsRule = rule({
  id: 'receiver.government-cpbs',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.3' },
  confidence: 'confirmed',
  hkaField: 'codigoCPBS',
  appliesTo: 'both',
  hint: 'A government receiver needs items[].cpbs on every item: segment, family and unit.',
  check: ({ cliente, items = [] }): Finding[] =>
    cliente?.tipoClienteFE === '03'
      ? items.flatMap((item, index) =>
          CPBS_FIELDS.filter((field) => item[field] === undefined).map((field) => ({
            field,
            index,
            message: required(field),
          })),
        )
      : [],
});

/**
 * HKA refuses a government receiver (03) whose RUC is not a public entity's, which it reads in the DGI
 * registry: no RUC pattern marks a public entity (brief §7.1: even NT numbers belong to natural persons,
 * companies and the government alike), so that refusal cannot be foreseen offline. What can be: the brief
 * classes the government with the juridical RUCs (§7.1), so a natural-person RUC is almost surely a
 * receiver typed "government" by mistake. Unconfirmed as a rule of HKA's, hence a warning.
 */
export const governmentJuridicalRule = rule({
  id: 'receiver.government-juridical',
  severity: 'warning',
  source: { kind: 'dgi-ficha', section: 'brief §7.1, §9.3' },
  confidence: 'unconfirmed',
  hkaField: 'tipoContribuyente',
  appliesTo: 'both',
  hint: 'A public entity has a juridical RUC (rucType 2); for a person, use receiver type "taxpayer" or "final-consumer".',
  check: ({ cliente }): Finding[] =>
    cliente?.tipoClienteFE === '03' && cliente.tipoContribuyente === '1'
      ? [
          {
            message: invalid(
              'tipoContribuyente',
              'Una entidad de gobierno (tipoClienteFE 03) es una persona jurídica (2).',
            ),
          },
        ]
      : [],
});
