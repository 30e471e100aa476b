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
