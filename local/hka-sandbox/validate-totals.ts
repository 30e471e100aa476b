/**
 * Recomputes item amounts and totals (brief §3.9, §8.4) with decimal.js and rejects any declared value
 * that differs by more than the cross-check tolerance (0.01, brief §9.6, unconfirmed) — what HKA/DGI do
 * with hand-computed totals.
 */
import { Dec, round2, sum } from '#shared/fiscal/amounts';
import { forbidden, inOccurrence, invalid, MONEY2, required, type Violations } from './rules.ts';
import { child, children, text, type XmlObject } from './soap-io.ts';

const TOLERANCE = new Dec('0.01');
const ITBMS_RATES: Record<string, string> = { '00': '0', '01': '0.07', '02': '0.10', '03': '0.15' };

/** A declared decimal, 0 when absent or unreadable (format errors are reported elsewhere). */
function amount(obj: XmlObject | undefined, name: string): InstanceType<typeof Dec> {
  const raw = text(obj, name);
  try {
    return raw === '' ? new Dec(0) : new Dec(raw);
  } catch {
    return new Dec(0);
  }
}

const differs = (declared: InstanceType<typeof Dec>, expected: InstanceType<typeof Dec>) =>
  declared.minus(expected).abs().gt(TOLERANCE);

export function checkTotals(items: XmlObject[], totales: XmlObject, v: Violations): void {
  const lines = items.map((item, i) => checkItem(item, i + 1, v));
  const get = (name: string) => text(totales, name);
  const expectOf = (name: string, expected: InstanceType<typeof Dec>) => {
    if (get(name) === '') {
      v.add(required(name));
      return;
    }
    if (differs(amount(totales, name), expected)) {
      v.add(invalid(name, `Valor informado ${get(name)}, valor calculado ${expected.toFixed(2)}.`));
    }
  };

  for (const name of [
    'totalPrecioNeto',
    'totalITBMS',
    'totalISC',
    'totalMontoGravado',
    'totalDescuento',
    'totalAcarreoCobrado',
    'valorSeguroCobrado',
    'totalFactura',
    'totalValorRecibido',
    'vuelto',
    'totalTodosItems',
  ]) {
    if (get(name) !== '') v.check(MONEY2.test(get(name)), invalid(name, 'Debe tener 2 decimales.'));
  }

  const neto = round2(sum(lines.map((l) => l.precioItem)));
  const itbms = round2(sum(lines.map((l) => l.itbms)));
  const isc = round2(sum(lines.map((l) => l.isc)));
  const oti = round2(sum(lines.map((l) => l.oti)));
  const todosItems = round2(sum(lines.map((l) => l.valorTotal)));
  expectOf('totalPrecioNeto', neto);
  expectOf('totalITBMS', itbms);
  // A zero totalISC is the rule catalogue's (isc.total-zero); a non-zero one without item ISC is here.
  if (isc.isZero())
    v.check(get('totalISC') === '' || amount(totales, 'totalISC').isZero(), forbidden('totalISC'));
  else expectOf('totalISC', isc);
  expectOf('totalMontoGravado', itbms.plus(isc).plus(oti));
  expectOf('totalTodosItems', todosItems);

  const descuentos = children(child(totales, 'listaDescBonificacion'), 'descuentoBonificacion');
  const descuento = round2(sum(descuentos.map((d) => amount(d, 'montoDescuento'))));
  if (get('totalDescuento') !== '' && differs(amount(totales, 'totalDescuento'), descuento)) {
    v.add(
      invalid(
        'totalDescuento',
        `Valor informado ${get('totalDescuento')}, suma de descuentos ${descuento.toFixed(2)}.`,
      ),
    );
  }
  const factura = todosItems
    .plus(amount(totales, 'totalAcarreoCobrado'))
    .plus(amount(totales, 'valorSeguroCobrado'))
    .minus(descuento);
  expectOf('totalFactura', factura);

  const pagos = children(child(totales, 'listaFormaPago'), 'formaPago');
  if (pagos.length === 0) v.add(required('listaFormaPago'));
  if (pagos.length > 10) v.add(invalid('listaFormaPago', 'Máximo 10 formas de pago.'));
  pagos.forEach((pago, i) => {
    const at = (m: string) => inOccurrence('FormaPago', i + 1, m);
    const forma = text(pago, 'formaPagoFact');
    if (forma === '') v.add(at(required('formaPagoFact')));
    else
      v.check(/^(0[1-9]|99)$/.test(forma), at(invalid('formaPagoFact', 'Valores permitidos: 01 a 09, 99.')));
    v.check(text(pago, 'valorCuotaPagada') !== '', at(required('valorCuotaPagada')));
  });
  const recibido = round2(sum(pagos.map((p) => amount(p, 'valorCuotaPagada'))));
  expectOf('totalValorRecibido', recibido);
  if (get('vuelto') !== '') {
    const vuelto = Dec.max(recibido.minus(factura), 0);
    if (differs(amount(totales, 'vuelto'), vuelto)) {
      v.add(invalid('vuelto', `Valor informado ${get('vuelto')}, valor calculado ${vuelto.toFixed(2)}.`));
    }
  }

  checkTotalOti(items, totales, v);
  const cuotas = children(child(totales, 'listaPagoPlazo'), 'pagoPlazo');
  const plazo = round2(sum(cuotas.map((c) => amount(c, 'valorCuota'))));
  if (cuotas.length > 0 && plazo.minus(factura).gt(TOLERANCE)) {
    v.add(invalid('listaPagoPlazo', `La suma de las cuotas ${plazo.toFixed(2)} excede totalFactura.`));
  }

  if (get('nroItems') === '') v.add(required('nroItems'));
  else
    v.check(
      get('nroItems') === String(items.length),
      invalid('nroItems', `Se informaron ${items.length} ítems.`),
    );
  if (get('tiempoPago') === '') v.add(required('tiempoPago'));
  else v.check(/^[123]$/.test(get('tiempoPago')), invalid('tiempoPago', 'Valores permitidos: 1, 2, 3.'));
}

/**
 * `listaTotalOTI` (brief §8.4): one `totalOti` per OTI code used by the items, each the sum of that
 * code's `valorTasa`; no total for a code no item carries.
 */
function checkTotalOti(items: XmlObject[], totales: XmlObject, v: Violations): void {
  const perCode = new Map<string, InstanceType<typeof Dec>>();
  for (const item of items) {
    for (const oti of children(child(item, 'listaItemOTI'), 'oti')) {
      const code = text(oti, 'tasaOTI');
      perCode.set(code, (perCode.get(code) ?? new Dec(0)).plus(amount(oti, 'valorTasa')));
    }
  }
  const declared = children(child(totales, 'listaTotalOTI'), 'totalOti');
  declared.forEach((total, i) => {
    const at = (m: string) => inOccurrence('TotalOTI', i + 1, m);
    const code = text(total, 'codigoTotalOTI');
    const expected = perCode.get(code);
    if (expected === undefined) {
      v.add(at(invalid('codigoTotalOTI', `Ningún ítem informa la tasa OTI ${code}.`)));
    } else if (differs(amount(total, 'valorTotalOTI'), round2(expected))) {
      v.add(
        at(
          invalid(
            'valorTotalOTI',
            `Valor informado ${text(total, 'valorTotalOTI')}, valor calculado ${round2(expected).toFixed(2)}.`,
          ),
        ),
      );
    }
  });
  for (const code of perCode.keys()) {
    if (!declared.some((total) => text(total, 'codigoTotalOTI') === code)) {
      v.add(invalid('listaTotalOTI', `Falta el total de la tasa OTI ${code}.`));
    }
  }
}

type Line = {
  precioItem: InstanceType<typeof Dec>;
  itbms: InstanceType<typeof Dec>;
  isc: InstanceType<typeof Dec>;
  oti: InstanceType<typeof Dec>;
  valorTotal: InstanceType<typeof Dec>;
};

function checkItem(item: XmlObject, n: number, v: Violations): Line {
  const at = (m: string) => inOccurrence('Item', n, m);
  const precioItem = amount(item, 'precioItem');
  const expectedPrecio = amount(item, 'cantidad').times(
    amount(item, 'precioUnitario').minus(amount(item, 'precioUnitarioDescuento')),
  );
  if (text(item, 'precioItem') !== '' && differs(precioItem, expectedPrecio)) {
    v.add(
      at(
        invalid(
          'precioItem',
          `Valor informado ${text(item, 'precioItem')}, cantidad x (precioUnitario - precioUnitarioDescuento) = ${expectedPrecio.toFixed(6)}.`,
        ),
      ),
    );
  }
  const rate = ITBMS_RATES[text(item, 'tasaITBMS')];
  const itbms = amount(item, 'valorITBMS');
  if (rate !== undefined && text(item, 'valorITBMS') !== '') {
    const expected = precioItem.times(rate);
    if (differs(itbms, expected)) {
      v.add(
        at(
          invalid(
            'valorITBMS',
            `Valor informado ${text(item, 'valorITBMS')}, valor calculado ${expected.toFixed(6)}.`,
          ),
        ),
      );
    }
  }
  const isc = amount(item, 'valorISC');
  const oti = sum(children(child(item, 'listaItemOTI'), 'oti').map((o) => amount(o, 'valorTasa')));
  const valorTotal = amount(item, 'valorTotal');
  const expectedTotal = precioItem
    .plus(amount(item, 'precioAcarreo'))
    .plus(amount(item, 'precioSeguro'))
    .plus(itbms)
    .plus(isc)
    .plus(oti);
  if (text(item, 'valorTotal') !== '' && differs(valorTotal, expectedTotal)) {
    v.add(
      at(
        invalid(
          'valorTotal',
          `Valor informado ${text(item, 'valorTotal')}, valor calculado ${expectedTotal.toFixed(6)}.`,
        ),
      ),
    );
  }
  return { precioItem, itbms, isc, oti, valorTotal };
}
