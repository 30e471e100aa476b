/** A batch as POST /v1/batches takes it: issuing bodies, each with its optional `reference`. */
export type BatchDocuments = Record<string, unknown>[];

export type BatchFile =
  | { source: 'csv' }
  | { source: 'json'; documents: BatchDocuments }
  | { errors: string[] };

/**
 * What a chosen batch file is: JSON (an array of issuing bodies, or `{documents: [...]}`), checked here and
 * sent as rows; anything else is the CSV template, uploaded as it is for the API to read, whose row errors
 * then name the CSV's line and column.
 */
export function readBatchFile(name: string, text: string): BatchFile {
  if (/\.json$/i.test(name) || text.trimStart().startsWith('[') || text.trimStart().startsWith('{'))
    return readJson(text);
  return { source: 'csv' };
}

function readJson(text: string): BatchFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { errors: [`JSON: ${(error as Error).message}`] };
  }
  const documents = Array.isArray(parsed) ? parsed : (parsed as { documents?: unknown } | null)?.documents;
  if (!Array.isArray(documents) || documents.length === 0)
    return { errors: ['JSON: expected a non-empty array of documents, or {"documents": [...]}'] };
  if (
    !documents.every(
      (document) => typeof document === 'object' && document !== null && !Array.isArray(document),
    )
  )
    return { errors: ['JSON: every document must be an object'] };
  return { source: 'json', documents: documents as BatchDocuments };
}

/** Where a row error is: the CSV's line and column, or the document's field path in a JSON batch. */
export function rowErrorPlace(
  source: 'json' | 'csv',
  error: { row: number; path: string; column?: string },
): { line: number; column: string } | { path: string } {
  return source === 'csv' ? { line: error.row, column: error.column ?? error.path } : { path: error.path };
}
