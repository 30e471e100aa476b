/**
 * One SOAP request → one answer: operation lookup, SOAPAction check (WCF rejects a mismatch), tenant
 * authentication, then the operation handler. Faults are applied by the HTTP layer around this.
 */
import { isHkaOperation, soapActionOf } from '#shared/hka/namespaces';
import { CODES, errorResult, type OperationContext, type OperationHandler } from './ops/context.ts';
import {
  anulacionDocumento,
  descargaPdf,
  descargaXml,
  envioCorreo,
  estadoDocumento,
  rastreoCorreo,
} from './ops/documents.ts';
import { enviar } from './ops/enviar.ts';
import { foliosRestantes } from './ops/folios.ts';
import { consultarRucDv } from './ops/ruc.ts';
import { child, soapResponse, text, type XmlObject } from './soap-io.ts';
import type { SandboxTenant } from './state.ts';

const HANDLERS: Record<string, OperationHandler> = {
  Enviar: enviar,
  EstadoDocumento: estadoDocumento,
  AnulacionDocumento: anulacionDocumento,
  DescargaXML: descargaXml,
  DescargaPDF: descargaPdf,
  FoliosRestantes: foliosRestantes,
  EnvioCorreo: envioCorreo,
  RastreoCorreo: rastreoCorreo,
  ConsultarRucDV: consultarRucDv,
};

export class SoapFaultError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly faultcode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks operation and SOAPAction; returns the tenant-independent part of the request. */
export function resolveOperation(operation: string, soapActionHeader: string | undefined): string {
  const action = (soapActionHeader ?? '').trim().replace(/^"|"$/g, '');
  if (!isHkaOperation(operation)) {
    throw new SoapFaultError(
      500,
      'a:ActionNotSupported',
      `The operation '${operation}' is not part of the contract 'IService'.`,
    );
  }
  if (action !== soapActionOf(operation)) {
    throw new SoapFaultError(
      500,
      'a:ActionNotSupported',
      `The message with Action '${action}' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher.`,
    );
  }
  return operation;
}

/** Tokens live in the wrapper, except for ConsultarRucDV (inside `consultarRucDVRequest`). */
export function tokensOf(
  operation: string,
  body: XmlObject,
): { tokenEmpresa: string; tokenPassword: string } {
  const holder = operation === 'ConsultarRucDV' ? child(body, 'consultarRucDVRequest') : body;
  return { tokenEmpresa: text(holder, 'tokenEmpresa'), tokenPassword: text(holder, 'tokenPassword') };
}

export const AUTHENTICATION_MESSAGE = 'Usuario o clave inválidos: tokenEmpresa/tokenPassword no autorizados.';

export function authenticationFailure(operation: string): string {
  return soapResponse(operation, errorResult(CODES.authentication, AUTHENTICATION_MESSAGE));
}

export async function runOperation(
  ctx: OperationContext,
  operation: string,
  body: XmlObject,
  tenant: SandboxTenant,
): Promise<string> {
  const handler = HANDLERS[operation]!;
  return soapResponse(operation, await handler(ctx, body, tenant));
}
