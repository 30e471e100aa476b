import { BatchCsvError, parseBatchCsv } from '#shared/batches/csv';

/** A batch as POST /v1/batches takes it: issuing bodies, each with its optional `reference`. */
export type BatchDocuments = Record<string, unknown>[];

export type ReadBatch = { documents: BatchDocuments } | { errors: string[] };

/**
 * A batch file read in the browser: JSON (an array of issuing bodies, or `{documents: [...]}`) or the CSV
 * template, read by the same parser the API uses for uploaded CSVs (its per-line errors shown before anything
 * is sent). The rows are then sent as JSON: the console's CSP allows calls to its own origin only, not a PUT to
 * the upload bucket.
 */
export function readBatchFile(name: string, text: string): ReadBatch {
  if (/\.json$/i.test(name) || text.trimStart().startsWith('[') || text.trimStart().startsWith('{'))
    return readJson(text);
  try {
    const entries = parseBatchCsv(text);
    const errors = entries.flatMap((entry) =>
      (entry.errors ?? []).map(
        (error) => `${entry.reference}: ${error.column ?? error.path} — ${error.message}`,
      ),
    );
    if (errors.length > 0) return { errors };
    return { documents: entries.map((entry) => ({ reference: entry.reference, ...entry.input })) };
  } catch (error) {
    if (error instanceof BatchCsvError)
      return { errors: error.details.map((d) => `${d.path}: ${d.message}`) };
    throw error;
  }
}

function readJson(text: string): ReadBatch {
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
  return { documents: documents as BatchDocuments };
}

const SESSION_KEY = 'factu.batches';

/** Batches started in this browser tab (the API has no list of batches): ids only, newest first. */
export function sessionBatches(): string[] {
  try {
    const ids: unknown = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberBatch(id: string): string[] {
  const ids = [id, ...sessionBatches().filter((known) => known !== id)].slice(0, 20);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(ids));
  return ids;
}
