/**
 * Duplicate-safe submission (brief §11.4). After an attempt whose outcome is unknown (sent, no answer), HKA
 * may already hold the document: ask EstadoDocumento before anything is sent. If HKA has it, its CUFE and
 * reception date come from that answer and nothing is sent again (a re-send's answer can be lost too, and
 * each lost answer used to cost an attempt); the QR is then read from the authorized XML when it is archived.
 * If EstadoDocumento itself fails, nothing is sent (the error propagates).
 *
 * What HKA holds under our number is adopted only when it is ours (`duplicate.ts`): its CUFE must match our
 * document, and a 102 must follow an earlier submission of ours that may have reached HKA — on a document
 * none of whose submissions can have arrived, a 102 is another document's by definition. Otherwise the
 * submission fails with NUMBER_TAKEN_BY_OTHER_DOCUMENT (`HkaRejectedError`, reason `number-taken`).
 */
import type { HkaClient } from './client.ts';
import { cufeMismatch, numberTakenError, type OurDocument } from './duplicate.ts';
import type { DatosDocumento, EstadoDocumentoResult, HkaCredentials, HkaDocumento } from './types.ts';

/** What HKA holds for the document after a submission: protocol and QR are unknown when reconciled. */
export type SubmittedAuthorization = { cufe: string; qr?: string; protocol?: string; authorizedAt: string };

export type SubmitResult = {
  /** `sent`: accepted now (200); `duplicate`: HKA answered 102 with the original; `reconciled`: found by EstadoDocumento. */
  source: 'sent' | 'duplicate' | 'reconciled';
  authorization: SubmittedAuthorization;
  /** HKA's SOAP answer verbatim (Enviar's, or EstadoDocumento's when reconciled), for the archive. */
  responseXml: string;
  /** The EstadoDocumento answer, when one was needed. */
  estado?: EstadoDocumentoResult;
};

/** The five identifiers HKA keys a document by, read from `documento`. */
export function datosDocumentoOf(documento: HkaDocumento): DatosDocumento {
  const trx = (documento.datosTransaccion ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    codigoSucursalEmisor: text(documento.codigoSucursalEmisor),
    numeroDocumentoFiscal: text(trx.numeroDocumentoFiscal),
    puntoFacturacionFiscal: text(trx.puntoFacturacionFiscal),
    tipoDocumento: text(trx.tipoDocumento),
    tipoEmision: text(trx.tipoEmision),
  };
}

/** Our document as `duplicate.ts` compares it: HKA's identifiers and the emission instant. */
export function ourDocumentOf(documento: HkaDocumento): OurDocument {
  const trx = (documento.datosTransaccion ?? {}) as Record<string, unknown>;
  return { datos: datosDocumentoOf(documento), fechaEmision: String(trx.fechaEmision ?? '') };
}

/** EstadoDocumento's answer for a document HKA holds, as an authorization (no re-send needed). */
export function authorizationFromEstado(
  estado: Extract<EstadoDocumentoResult, { found: true }>,
  now: Date = new Date(),
): SubmittedAuthorization {
  return { cufe: estado.cufe, authorizedAt: estado.receivedAt ?? estado.emittedAt ?? now.toISOString() };
}

export async function submitWithoutDuplicates(
  client: HkaClient,
  credentials: HkaCredentials,
  documento: HkaDocumento,
  options: { previousAttemptUnknown?: boolean; now?: Date } = {},
): Promise<SubmitResult> {
  const ours = ourDocumentOf(documento);
  let estado: EstadoDocumentoResult | undefined;
  if (options.previousAttemptUnknown) {
    estado = await client.estadoDocumento(credentials, ours.datos);
    if (estado.found) {
      const mismatch = cufeMismatch(estado.cufe, ours);
      if (mismatch) {
        throw numberTakenError(
          'EstadoDocumento',
          estado.codigo,
          ours.datos.numeroDocumentoFiscal,
          estado.cufe,
          mismatch,
        );
      }
      return {
        source: 'reconciled',
        authorization: authorizationFromEstado(estado, options.now),
        responseXml: estado.responseXml,
        estado,
      };
    }
  }
  const result = await client.enviar(credentials, documento);
  const { cufe, qr, protocol, authorizedAt } = result.authorization;
  if (result.duplicate) {
    const mismatch =
      cufeMismatch(cufe, ours) ??
      (options.previousAttemptUnknown
        ? undefined
        : 'ningún envío anterior de este documento pudo llegar a HKA');
    if (mismatch)
      throw numberTakenError('Enviar', result.codigo, ours.datos.numeroDocumentoFiscal, cufe, mismatch);
  }
  return {
    source: result.duplicate ? 'duplicate' : 'sent',
    authorization: { cufe, qr, protocol, authorizedAt },
    responseXml: result.responseXml,
    ...(estado ? { estado } : {}),
  };
}
