/**
 * The issuing taxpayer and branch, as configured per tenant. It is not part of the document input: the
 * API resolves it from the tenant and branch, so a client can never issue in someone else's name.
 */
export type Issuer = {
  ruc: string;
  dv: string;
  rucType: '1' | '2';
  /** `dNombEm`, ≤ 100 chars in rFE v1.00. */
  name: string;
  /** Branch this issuer context describes (`dSucEm`), AN4, `0000` = head office. */
  branchCode: string;
  /** `dDirecEm`, ≤ 100 chars. */
  address: string;
  /** `dCoordEm`, e.g. `+8.9892,-79.5201`. */
  coordinates: string;
  location: { code: string; province: string; district: string; corregimiento: string };
  /** `dTfnEm`, 1..3 of `[0-9]{3,4}-[0-9]{4}`. */
  phones: string[];
  emails?: string[];
};
