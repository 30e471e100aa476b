/**
 * ConsultarRucDV: the request object carries the tokens itself (`consultarRucDVRequest`, ns
 * Services.ApiRest). Known RUC → data and DV; unknown but well-formed → DGI's 1602 text; unreadable →
 * DGI's 1601 text (brief §3.11).
 */
import { computeRucDv, RucFormatError } from '#shared/fiscal/ruc-dv';
import { lookupRuc, registryOf } from '../ruc-registry.ts';
import { invalid, required } from '../rules.ts';
import { child, text } from '../soap-io.ts';
import { CODES, errorResult, type OperationHandler } from './context.ts';

export const consultarRucDv: OperationHandler = async (ctx, body) => {
  const request = child(body, 'consultarRucDVRequest');
  const tipoRuc = text(request, 'tipoRuc');
  const ruc = text(request, 'ruc');
  if (tipoRuc === '') return errorResult(CODES.rejected, required('tipoRuc'));
  if (tipoRuc !== '1' && tipoRuc !== '2')
    return errorResult(CODES.rejected, invalid('tipoRuc', 'Valores permitidos: 1 (natural), 2 (jurídico).'));
  if (ruc === '') return errorResult(CODES.rejected, required('ruc'));

  let dv: string;
  try {
    dv = computeRucDv(ruc, tipoRuc);
  } catch (error) {
    if (!(error instanceof RucFormatError)) throw error;
    return errorResult(CODES.rejected, 'Regla de formación del RUC invalida (1601).');
  }
  const entry = lookupRuc(registryOf(ctx.state), tipoRuc, ruc);
  if (!entry) return errorResult(CODES.rejected, 'RUC inexistente en los registros de la DGI (1602).');
  return [
    ['codigo', CODES.ok],
    [
      'infoRuc',
      [
        ['tipoRuc', entry.tipoRuc],
        ['ruc', entry.ruc],
        ['dv', dv],
        ['razonSocial', entry.razonSocial],
        ['afiliadoFE', entry.afiliadoFE ? 'SI' : 'NO'],
      ],
    ],
    ['mensaje', 'Consulta realizada con éxito.'],
    ['resultado', 'procesado'],
  ];
};
