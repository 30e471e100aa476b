/** Public types of the HKA client. Amounts and codes stay strings: HKA's wire format is text. */

/** One token pair per RUC (tenant company); never logged (see `redact.ts`). */
export type HkaCredentials = { readonly tokenEmpresa: string; readonly tokenPassword: string };

/** Identifies a document in every follow-up operation (brief §8.2). */
export type DatosDocumento = {
  codigoSucursalEmisor: string;
  numeroDocumentoFiscal: string;
  puntoFacturacionFiscal: string;
  tipoDocumento: string;
  tipoEmision: string;
};

/**
 * `Enviar.documento`: a plain object in HKA's element names (built by `#shared/fiscal/hka-documento`).
 * Lists are wrapper objects holding arrays: `{ listaItems: { item: [...] } }`.
 */
export type HkaDocumento = { [element: string]: HkaValue };
export type HkaValue = string | number | HkaDocumento | HkaDocumento[] | undefined | null;

/** What an accepted (200) or duplicate (102) `Enviar` gives us. */
export type HkaAuthorization = {
  cufe: string;
  /** DGI QR URL exactly as HKA sent it, XML-unescaped once. */
  qr: string;
  /** `nroProtocoloAutorizacion`, opaque (20 or 40 chars). */
  protocol: string;
  /** `fechaRecepcionDGI` normalised to ISO-8601 UTC; the raw text is kept beside it. */
  authorizedAt: string;
  authorizedAtRaw: string;
};

export type EnviarResult = {
  /** true when HKA answered 102: the document was already processed; the data are the original's. */
  duplicate: boolean;
  codigo: string;
  mensaje: string;
  authorization: HkaAuthorization;
  /** The SOAP response verbatim, for the archive. */
  responseXml: string;
};

export type EstadoDocumentoResult =
  | { found: false; codigo: string; mensaje: string }
  | {
      found: true;
      codigo: string;
      mensaje: string;
      cufe: string;
      /** `estatusDocumento`, e.g. `Autorizada`, `Anulada`. */
      status: string;
      statusMessage: string;
      emittedAt?: string;
      receivedAt?: string;
      responseXml: string;
    };

export type AnulacionResult = { codigo: string; mensaje: string; status?: string };

export type DownloadResult = { codigo: string; mensaje: string; content: Buffer };

export type FoliosRestantesResult = {
  codigo: string;
  mensaje: string;
  licencia: string;
  licenceFrom?: string;
  licenceTo?: string;
  ciclo: string;
  cycleFrom?: string;
  cycleTo?: string;
  cycleTotal: number;
  cycleUsed: number;
  cycleAvailable: number;
  licenceTotal: number;
};

export type EnvioCorreoResult = { codigo: string; mensaje: string };

export type RastreoCorreoEntry = {
  correo: string;
  createdAt?: string;
  createdAtRaw: string;
  estado: string;
  messageId: string;
};
export type RastreoCorreoResult = { codigo: string; mensaje: string; entries: RastreoCorreoEntry[] };

export type ConsultarRucDvResult = {
  codigo: string;
  mensaje: string;
  tipoRuc: string;
  ruc: string;
  dv: string;
  razonSocial: string;
  /** `afiliadoFE` as HKA sends it (`SI`/`NO`…), and read as a boolean. */
  afiliadoFE: string;
  affiliated: boolean;
};
