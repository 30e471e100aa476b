/** What one batch may hold: the bound, and what one validation run can pre-flight in its time. */
export const MAX_BATCH_DOCUMENTS = 10_000;

/** An uploaded CSV is read whole into memory: 10 MiB is ~10,000 two-line documents with room. */
export const MAX_BATCH_UPLOAD_BYTES = 10 * 1024 * 1024;

/** A row reference: the client's name for the document, unique in its batch. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/** A problem with one row: where (`row`: its number in the JSON array, or the CSV line), on which field. */
export type RowError = {
  row: number;
  path: string;
  message: string;
  code: string;
  /** The CSV column the path is read from, when there is one. */
  column?: string;
};

/**
 * One document of a batch as stored for the workers (`rows.json` in the work-files bucket): its reference,
 * the issuing body, and for a CSV the lines it came from and what its lines already got wrong.
 */
export type BatchEntry = {
  reference: string;
  input: Record<string, unknown>;
  lines?: { first: number; items: number[] };
  errors?: RowError[];
};

/** The stored input of a batch (`workFileKeys(t).batchRows(id)`). */
export type BatchInput = { source: 'json' | 'csv'; entries: BatchEntry[] };

/**
 * The JSON form: each document may carry `reference` (default: its position, 1-based); the rest of it is
 * the issuing body.
 */
export function entriesOfDocuments(documents: ReadonlyArray<Record<string, unknown>>): BatchEntry[] {
  return documents.map((document, index) => {
    const { reference, ...input } = document;
    return { reference: typeof reference === 'string' ? reference : String(index + 1), input };
  });
}
