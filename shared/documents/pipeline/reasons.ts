import type { Reason } from '#shared/data/documents';

/** HKA's rejection details as document reasons; a rejection without field details keeps HKA's message. */
export function reasonsFromRejection(error: {
  code?: string;
  message: string;
  details?: Reason[];
}): Reason[] {
  if (error.details && error.details.length > 0) {
    return error.details.map((d) => ({
      path: d.path,
      message: d.message,
      ...(d.code ? { code: d.code } : {}),
    }));
  }
  return [{ path: '', message: error.message, ...(error.code ? { code: String(error.code) } : {}) }];
}

/**
 * HKA/DGI refused the document itself when it was submitted (Enviar or the PAC reception): a business outcome,
 * never retried; its reasons are on the document. Other refusals HKA answers (a download, an EstadoDocumento
 * with an unexpected code) are not the document's rejection and keep their own error.
 */
export class DocumentRejectedError extends Error {
  override readonly name = 'DocumentRejectedError';
}
