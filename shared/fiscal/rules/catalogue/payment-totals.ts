/**
 * What was paid (brief §3.6, §3.9, §8.4): `totalValorRecibido` = Σ valorCuotaPagada, `vuelto` = received −
 * totalFactura when positive (0 otherwise), and the installments (`listaPagoPlazo`) add up to no more than
 * totalFactura.
 */
import { Dec, round2, sum } from '../../amounts';
import { amount, differs, invoiceTotal, mismatch, receivedSum, TOLERANCE } from './arithmetic';
import { invalid, required } from './messages';
import { type Finding, rule } from './types';

const evidence = {
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §3.6, §3.9, §8.4' },
  confidence: 'likely',
  appliesTo: 'both',
  reads: 'amounts',
} as const;

export const receivedTotalRule = rule({
  ...evidence,
  id: 'totals.received',
  hkaField: 'totalValorRecibido',
  hint: 'The amount received is the sum of the payments.',
  check: (view): Finding[] => {
    const { totales } = view;
    if (!totales || (view.items ?? []).length === 0) return [];
    const declared = totales.totalValorRecibido;
    if (declared === undefined) return [{ message: required('totalValorRecibido') }];
    const expected = receivedSum(view);
    return differs(amount(declared), expected)
      ? [{ message: mismatch('totalValorRecibido', declared, expected.toFixed(2)) }]
      : [];
  },
});

export const changeRule = rule({
  ...evidence,
  id: 'totals.change',
  hkaField: 'vuelto',
  hint: 'The change is what the payments exceed the document total by.',
  check: (view): Finding[] => {
    const declared = view.totales?.vuelto;
    const total = invoiceTotal(view);
    if (declared === undefined || total === undefined) return [];
    const expected = Dec.max(receivedSum(view).minus(total), 0);
    return differs(amount(declared), expected)
      ? [{ message: mismatch('vuelto', declared, expected.toFixed(2)) }]
      : [];
  },
});

export const installmentsTotalRule = rule({
  ...evidence,
  id: 'totals.installments',
  hkaField: 'listaPagoPlazo',
  hint: 'The installments add up to no more than the document total.',
  check: (view): Finding[] => {
    const cuotas = view.totales?.cuotas ?? [];
    const total = invoiceTotal(view);
    if (cuotas.length === 0 || total === undefined) return [];
    const installments = round2(sum(cuotas.map((c) => amount(c.valorCuota))));
    return installments.minus(total).gt(TOLERANCE)
      ? [
          {
            message: invalid(
              'listaPagoPlazo',
              `La suma de las cuotas ${installments.toFixed(2)} excede totalFactura.`,
            ),
          },
        ]
      : [];
  },
});
