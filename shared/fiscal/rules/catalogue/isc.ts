/**
 * ISC zero (brief §8.4, §10): ISC fields appear only when ISC applies. HKA rejects a zero item ISC
 * ("Informado valor del ISC en una operación no valorada") and a zero total ("El campo totalISC no debe
 * ser informado"). `hka-documento.ts` omits both when zero, so only a documento can carry them.
 */
import { forbidden, invalid } from './messages';
import { type Finding, rule } from './types';

const isZero = (amount: string | undefined) => amount !== undefined && /^0*(\.0*)?$/.test(amount);

export const itemIscZeroRule = rule({
  id: 'isc.item-zero',
  severity: 'error',
  source: { kind: 'observed-rejection', section: 'brief §10' },
  confidence: 'confirmed',
  hkaField: 'valorISC',
  appliesTo: 'documento',
  reads: 'amounts',
  hint: 'Omit the item ISC when it is zero.',
  check: ({ items = [] }): Finding[] =>
    items.flatMap((item, index) =>
      isZero(item.valorISC)
        ? [{ index, message: invalid('valorISC', 'Informado valor del ISC en una operación no valorada.') }]
        : [],
    ),
});

export const totalIscZeroRule = rule({
  id: 'isc.total-zero',
  severity: 'error',
  source: { kind: 'observed-rejection', section: 'brief §10' },
  confidence: 'confirmed',
  hkaField: 'totalISC',
  appliesTo: 'documento',
  reads: 'amounts',
  hint: 'Omit the ISC total when no item carries ISC.',
  check: ({ totales }): Finding[] => (isZero(totales?.totalISC) ? [{ message: forbidden('totalISC') }] : []),
});
