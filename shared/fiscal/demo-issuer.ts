import type { Issuer } from './issuer';

/**
 * HKA's demo issuer (RUC 155596713-2-2015, DV 59 — the RUC in HKA's own demo CUFEs), with a plausible
 * head-office address. Used by the CLI when no `--issuer` is given, by tests and by local tooling;
 * never by the product, which takes the issuer from the tenant.
 */
export const demoIssuer: Issuer = {
  ruc: '155596713-2-2015',
  dv: '59',
  rucType: '2',
  name: 'THE FACTORY HKA PANAMA, S.A.',
  branchCode: '0000',
  address: 'Calle 50, Edificio Global Plaza, piso 20',
  coordinates: '+8.9892,-79.5201',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['264-0000'],
  emails: ['facturacion@example.com'],
};
