/**
 * The sandbox's stand-in for the DGI RUC registry behind ConsultarRucDV: the tenants plus a few public
 * test RUCs (brief §12.2). DVs always come from the DGI algorithm (`#shared/fiscal/ruc-dv`).
 */
import { computeRucDv } from '#shared/fiscal/ruc-dv';

export type RucEntry = { tipoRuc: '1' | '2'; ruc: string; razonSocial: string; afiliadoFE: boolean };

export const PUBLIC_TEST_RUCS: RucEntry[] = [
  { tipoRuc: '2', ruc: '155596713-2-2015', razonSocial: 'THE FACTORY HKA CORP', afiliadoFE: true },
  { tipoRuc: '2', ruc: '2588017-1-831938', razonSocial: 'DISTRIBUIDORA DEMO, S.A.', afiliadoFE: true },
  { tipoRuc: '2', ruc: '797609-1-493865', razonSocial: 'SERVICIOS DE PRUEBA, S.A.', afiliadoFE: false },
  { tipoRuc: '2', ruc: '10102-64-103462', razonSocial: 'SOCIEDAD ANTIGUA, S.A.', afiliadoFE: false },
  { tipoRuc: '1', ruc: '8-274-125', razonSocial: 'JUAN PEREZ', afiliadoFE: false },
  { tipoRuc: '1', ruc: 'E-8-127702', razonSocial: 'JOHN DOE', afiliadoFE: false },
];

export function lookupRuc(
  entries: RucEntry[],
  tipoRuc: '1' | '2',
  ruc: string,
): (RucEntry & { dv: string }) | undefined {
  const entry = entries.find((e) => e.tipoRuc === tipoRuc && e.ruc.toUpperCase() === ruc.toUpperCase());
  return entry ? { ...entry, dv: computeRucDv(entry.ruc, entry.tipoRuc) } : undefined;
}
