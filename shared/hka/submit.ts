/**
 * Duplicate-safe submission (brief §11.4). After an attempt whose outcome is unknown (sent, no answer),
 * HKA may already hold the document: ask EstadoDocumento before anything is re-sent. If HKA has it, the
 * identical payload is re-sent only to collect the original CUFE/QR/protocol — HKA answers 102 and
 * creates nothing. If EstadoDocumento itself fails, nothing is sent (the error propagates).
 */
import type { HkaClient } from './client.ts';
import { HkaRejectedError } from './errors.ts';
import type {
  DatosDocumento,
  EnviarResult,
  EstadoDocumentoResult,
  HkaCredentials,
  HkaDocumento,
} from './types.ts';

export type SubmitResult = EnviarResult & {
  /** HKA already had the document before this call (found by EstadoDocumento or answered 102). */
  alreadyProcessed: boolean;
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

export async function submitWithoutDuplicates(
  client: HkaClient,
  credentials: HkaCredentials,
  documento: HkaDocumento,
  options: { previousAttemptUnknown?: boolean } = {},
): Promise<SubmitResult> {
  if (!options.previousAttemptUnknown) {
    const result = await client.enviar(credentials, documento);
    return { ...result, alreadyProcessed: result.duplicate };
  }

  const estado = await client.estadoDocumento(credentials, datosDocumentoOf(documento));
  if (!estado.found) {
    const result = await client.enviar(credentials, documento);
    return { ...result, alreadyProcessed: result.duplicate, estado };
  }

  const result = await client.enviar(credentials, documento);
  if (estado.cufe && result.authorization.cufe !== estado.cufe) {
    // Two CUFEs for one set of identifiers: never record either silently.
    throw new HkaRejectedError(
      'Enviar',
      'CUFE_MISMATCH',
      `EstadoDocumento reports CUFE ${estado.cufe} but Enviar answered ${result.authorization.cufe}`,
      [],
    );
  }
  return { ...result, alreadyProcessed: true, estado };
}
