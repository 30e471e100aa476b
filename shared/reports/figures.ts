import { type Dec, dec, formatMoney2 } from '#shared/fiscal/amounts';
import type { ItbmsRateCode } from '#shared/fiscal/codes';
import { type DocumentLedger, LEDGER_RATE_CODES, rateOf } from './ledger.ts';

/** The ITBMS rates as the reports name them (percent), by DGI code. */
export const RATE_PERCENT: Record<ItbmsRateCode, '0' | '7' | '10' | '15'> = {
  '00': '0',
  '01': '7',
  '02': '10',
  '03': '15',
};

/** The figures of one document or of a sum of documents, signed (credit notes negative). */
export type Figures = {
  net: Record<ItbmsRateCode, Dec>;
  itbms: Record<ItbmsRateCode, Dec>;
  isc: Dec;
  oti: Dec;
  charges: Dec;
  discount: Dec;
  total: Dec;
};

const ZERO = dec('0');

export function zeroFigures(): Figures {
  const perRate = () => ({ '00': ZERO, '01': ZERO, '02': ZERO, '03': ZERO });
  return {
    net: perRate(),
    itbms: perRate(),
    isc: ZERO,
    oti: ZERO,
    charges: ZERO,
    discount: ZERO,
    total: ZERO,
  };
}

/** A ledger's figures with its sign applied. */
export function signedFigures(ledger: DocumentLedger): Figures {
  const figures = zeroFigures();
  return addFigures(figures, ledger, ledger.sign);
}

/** `into` plus `ledger` × `sign`. */
export function addFigures(into: Figures, ledger: DocumentLedger, sign: 1 | -1): Figures {
  const signed = (value: Dec) => (sign === 1 ? value : value.negated());
  const net = { ...into.net };
  const itbms = { ...into.itbms };
  for (const code of LEDGER_RATE_CODES) {
    const rate = rateOf(ledger, code);
    net[code] = net[code].plus(signed(rate.net));
    itbms[code] = itbms[code].plus(signed(rate.itbms));
  }
  return {
    net,
    itbms,
    isc: into.isc.plus(signed(dec(ledger.isc))),
    oti: into.oti.plus(signed(dec(ledger.oti))),
    charges: into.charges.plus(signed(dec(ledger.charges))),
    discount: into.discount.plus(signed(dec(ledger.discount))),
    total: into.total.plus(signed(dec(ledger.total))),
  };
}

/** 2 decimals, never `-0.00`. */
export function money(value: Dec): string {
  return value.isZero() ? '0.00' : formatMoney2(value);
}
