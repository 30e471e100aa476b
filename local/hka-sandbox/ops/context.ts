import type { PacSigner } from '../pac-signer.ts';
import type { Random } from '../random.ts';
import type { ResultField, XmlObject } from '../soap-io.ts';
import type { SandboxState, SandboxTenant, StoredDocument } from '../state.ts';

/** What an operation handler can use. */
export type OperationContext = {
  state: SandboxState;
  random: Random;
  now(): Date;
  qrSecret: string;
  signer: PacSigner;
  artifacts: {
    rfeXml(doc: StoredDocument, tenant: SandboxTenant): Promise<string>;
    cafePdf(doc: StoredDocument, tenant: SandboxTenant): Promise<Buffer>;
  };
  sendEmail(input: {
    to: string;
    doc: StoredDocument;
    tenant: SandboxTenant;
  }): Promise<{ messageId: string }>;
};

export type OperationHandler = (
  ctx: OperationContext,
  body: XmlObject,
  tenant: SandboxTenant,
) => Promise<ResultField[]>;

/** HKA's error answer: `codigo`, `resultado = error`, `mensaje` (field order of the official responses). */
export function errorResult(codigo: string, mensaje: string, extra: ResultField[] = []): ResultField[] {
  return [['codigo', codigo], ['resultado', 'error'], ['mensaje', mensaje], ...extra];
}

/** Codes the sandbox answers with. 200/102/201 are HKA's (brief §8.7); 100 (auth) is the sandbox's
 * choice — HKA's catalog is not available offline, and the client classifies auth errors by text. */
export const CODES = { ok: '200', duplicate: '102', rejected: '201', authentication: '100' } as const;

export const NOT_FOUND_MESSAGE = 'No existe un documento registrado con los datos suministrados.';
