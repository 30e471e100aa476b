/**
 * `listaTotalOTI` (brief §3.6, §8.4): one `totalOti` per OTI code the items carry, each the half-up sum of
 * that code's `valorTasa`; no total for a code no item carries.
 */
import { Dec, round2 } from '../../amounts';
import type { FiscalView } from '../../view/fiscal-view';
import { amount, differs, mismatch } from './arithmetic';
import { invalid } from './messages';
import { type Finding, rule } from './types';

function perCode({ items = [] }: FiscalView): Map<string | undefined, Dec> {
  const sums = new Map<string | undefined, Dec>();
  for (const item of items) {
    for (const oti of item.otis ?? []) {
      sums.set(oti.tasaOTI, (sums.get(oti.tasaOTI) ?? new Dec(0)).plus(amount(oti.valorTasa)));
    }
  }
  return sums;
}

export const otiTotalsRule = rule({
  id: 'totals.oti',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §3.6, §8.4' },
  confidence: 'likely',
  appliesTo: 'both',
  reads: 'amounts',
  hkaField: 'listaTotalOTI',
  hint: 'Each OTI code of the items has one total, the sum of its items’ amounts.',
  check: (view): Finding[] => {
    const { totales } = view;
    if (!totales) return [];
    const expected = perCode(view);
    const declared = totales.totalesOTI;
    const findings: Finding[] = declared.flatMap((total, index): Finding[] => {
      const sum = expected.get(total.codigoTotalOTI);
      if (sum === undefined) {
        return [
          {
            field: 'codigoTotalOTI',
            index,
            message: invalid(
              'codigoTotalOTI',
              `Ningún ítem informa la tasa OTI ${total.codigoTotalOTI ?? ''}.`,
            ),
          },
        ];
      }
      return differs(amount(total.valorTotalOTI), round2(sum))
        ? [
            {
              field: 'valorTotalOTI',
              index,
              message: mismatch('valorTotalOTI', total.valorTotalOTI ?? '', round2(sum).toFixed(2)),
            },
          ]
        : [];
    });
    for (const code of expected.keys()) {
      if (!declared.some((total) => total.codigoTotalOTI === code)) {
        findings.push({ message: invalid('listaTotalOTI', `Falta el total de la tasa OTI ${code ?? ''}.`) });
      }
    }
    return findings;
  },
});
