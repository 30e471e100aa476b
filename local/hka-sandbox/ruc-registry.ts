/**
 * The sandbox's stand-in for the DGI RUC registry behind ConsultarRucDV and the receiver checks of Enviar:
 * a few public test RUCs and the receivers of the demo documents (brief §7, §12.2), the tenants themselves,
 * and whatever a test registers through the admin API. DVs always come from the DGI algorithm
 * (`#shared/fiscal/ruc-dv`). `government` marks the RUCs of public entities (receiver type 03).
 */
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import { invalid } from './rules.ts';
import { text, type XmlObject } from './soap-io.ts';
import type { SandboxState } from './state.ts';

export type RucEntry = {
  tipoRuc: '1' | '2';
  ruc: string;
  razonSocial: string;
  afiliadoFE: boolean;
  government?: boolean;
};

export const PUBLIC_TEST_RUCS: RucEntry[] = [
  { tipoRuc: '2', ruc: '155596713-2-2015', razonSocial: 'THE FACTORY HKA CORP', afiliadoFE: true },
  { tipoRuc: '2', ruc: '2588017-1-831938', razonSocial: 'DISTRIBUIDORA EJEMPLO, S.A.', afiliadoFE: true },
  { tipoRuc: '2', ruc: '797609-1-493865', razonSocial: 'SERVICIOS DE PRUEBA, S.A.', afiliadoFE: false },
  { tipoRuc: '2', ruc: '10102-64-103462', razonSocial: 'SOCIEDAD ANTIGUA, S.A.', afiliadoFE: false },
  { tipoRuc: '2', ruc: '61302-14-123411', razonSocial: 'COMERCIAL DE PRUEBA, S.A.', afiliadoFE: true },
  { tipoRuc: '1', ruc: '8-274-125', razonSocial: 'JUAN PEREZ', afiliadoFE: false },
  { tipoRuc: '1', ruc: 'E-8-127702', razonSocial: 'JOHN DOE', afiliadoFE: false },
  { tipoRuc: '1', ruc: '8-NT-1-24', razonSocial: 'MARIA RODRIGUEZ', afiliadoFE: false },
  // Public entities: the receivers of government (03) invoices.
  {
    tipoRuc: '2',
    ruc: '1489806-1-645353',
    razonSocial: 'MINISTERIO DE EJEMPLO',
    afiliadoFE: true,
    government: true,
  },
  {
    tipoRuc: '2',
    ruc: '8-NT-1-419',
    razonSocial: 'AUTORIDAD NACIONAL DE PRUEBA',
    afiliadoFE: true,
    government: true,
  },
];

/**
 * Every RUC the sandbox knows, later entries overriding earlier ones: the tenants, the public test RUCs (whose
 * names the demo documents use), then the RUCs registered by tests.
 */
export function registryOf(state: SandboxState): RucEntry[] {
  return [
    ...state.data.tenants.map((t) => ({
      tipoRuc: t.rucType,
      ruc: t.ruc,
      razonSocial: t.name,
      afiliadoFE: true,
    })),
    ...PUBLIC_TEST_RUCS,
    ...(state.data.registeredRucs ?? []),
  ];
}

/** The last match wins, so a RUC registered by a test overrides a seeded entry of the same RUC. */
export function lookupRuc(
  entries: RucEntry[],
  tipoRuc: '1' | '2',
  ruc: string,
): (RucEntry & { dv: string }) | undefined {
  const entry = entries.findLast((e) => e.tipoRuc === tipoRuc && e.ruc.toUpperCase() === ruc.toUpperCase());
  return entry ? { ...entry, dv: computeRucDv(entry.ruc, entry.tipoRuc) } : undefined;
}

/**
 * Enviar's registry check of the receiver: a government receiver (03) must carry the RUC of a public
 * entity. Real rejections show HKA refusing it; HKA's exact wording is not known (brief §9.3 names only the
 * CPBS rule), so the message follows HKA's field shape and names `numeroRUC`.
 */
export function receiverRegistryMessages(cliente: XmlObject | undefined, entries: RucEntry[]): string[] {
  if (text(cliente, 'tipoClienteFE') !== '03') return [];
  const tipoRuc = text(cliente, 'tipoContribuyente');
  const ruc = text(cliente, 'numeroRUC');
  if ((tipoRuc !== '1' && tipoRuc !== '2') || ruc === '') return [];
  const entry = entries.findLast((e) => e.tipoRuc === tipoRuc && e.ruc.toUpperCase() === ruc.toUpperCase());
  if (entry?.government) return [];
  return [invalid('numeroRUC', `El RUC ${ruc} no corresponde a una entidad de gobierno (tipoClienteFE 03).`)];
}
