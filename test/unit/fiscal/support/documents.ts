import type { DocumentInputRaw } from '#shared/fiscal/model';

/** The clock every example and test document is valid at (see examples/documents/README.md). */
export const EXAMPLES_NOW = new Date('2026-11-22T12:00:00-05:00');

/** A CUFE with a valid check digit for an invoice of the demo issuer dated 2026-11-01. */
export const REFERENCED_CUFE = 'FE0120000155596713-2-2015-5900002026110100000001000010124829136750';

export const taxpayerReceiver = {
  type: 'taxpayer',
  rucType: '2',
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'DISTRIBUIDORA EJEMPLO, S.A.',
  address: 'Vía España, local 3',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
} as const satisfies DocumentInputRaw['receiver'];

/** A minimal valid invoice (one 7 % item of 100.00 → total 107.00), to be varied per test. */
export function invoice(overrides: Partial<DocumentInputRaw> = {}): DocumentInputRaw {
  return {
    type: 'invoice',
    issuedAt: '2026-11-22T10:00:00-05:00',
    receiver: { ...taxpayerReceiver },
    items: [{ description: 'Servicio de prueba', quantity: '1', unitPrice: '100.00', itbmsRate: '7' }],
    payments: [{ method: 'cash', amount: '107.00' }],
    ...overrides,
  };
}
