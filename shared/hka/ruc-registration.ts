/**
 * ConsultarRucDV read as the question the pre-flight asks: is this RUC registered at the DGI, under which
 * name and DV? HKA forwards the DGI's answer: a known RUC → 200 with `infoRuc`; a well-formed RUC the DGI
 * does not know → its 1602 "RUC inexistente en los registros de la DGI"; an unreadable one → 1601 "Regla de
 * formación del RUC invalida" (brief §3.11). Anything else — timeouts, 5xx, authentication, other refusals —
 * stays an error of the client's three classes: the caller cannot conclude anything about the RUC from it.
 */
import { HkaRejectedError, HkaTransientError } from './errors.ts';
import type { ConsultarRucDvResult } from './types.ts';

export type RucQuery = { tipoRuc: '1' | '2'; ruc: string };

export type RucRegistration =
  | {
      registered: true;
      tipoRuc: string;
      ruc: string;
      dv: string;
      /** The razón social registered at the DGI. */
      name: string;
      /** Whether the taxpayer is affiliated to electronic invoicing (`afiliadoFE`). */
      affiliated: boolean;
    }
  | {
      registered: false;
      /** `not-registered` (DGI 1602) or `malformed` (DGI 1601). */
      reason: 'not-registered' | 'malformed';
      code: string;
      message: string;
    };

const NOT_REGISTERED = /\b1602\b|inexistente|no (est[aá] )?(inscrit|registrad)/i;
const MALFORMED = /\b1601\b|formaci[oó]n del RUC/i;

export async function rucRegistrationOf(
  consultar: () => Promise<ConsultarRucDvResult>,
): Promise<RucRegistration> {
  let result: ConsultarRucDvResult;
  try {
    result = await consultar();
  } catch (error) {
    if (error instanceof HkaRejectedError) {
      const reason = NOT_REGISTERED.test(error.message)
        ? 'not-registered'
        : MALFORMED.test(error.message)
          ? 'malformed'
          : undefined;
      if (reason) return { registered: false, reason, code: error.code, message: error.message };
    }
    throw error;
  }
  if (result.dv === '' || result.razonSocial === '') {
    // A 200 without the registry data says nothing about the RUC: as unusable as no answer.
    throw new HkaTransientError(
      'ConsultarRucDV',
      'unknown',
      `HKA ConsultarRucDV answered ${result.codigo} without infoRuc data`,
    );
  }
  return {
    registered: true,
    tipoRuc: result.tipoRuc,
    ruc: result.ruc,
    dv: result.dv,
    name: result.razonSocial,
    affiliated: result.affiliated,
  };
}
