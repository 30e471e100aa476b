/**
 * The form names and codes are stored and searched in: case- and accent-insensitive ("Peña" and "PENA" match),
 * punctuation and repeated spaces folded, so a prefix typed by a person finds what a DGI register spells in
 * capitals. Stored as the sort key of the search index (shared/data/indexes.ts `bySearchKey`); a query
 * normalizes its prefix the same way.
 */

/** Longest stored key: a sort-key prefix is enough for search, and the index entry stays small. */
export const SEARCH_KEY_MAX_LENGTH = 80;

export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, SEARCH_KEY_MAX_LENGTH)
    .trimEnd();
}

/**
 * The form a value that must be unique in a tenant (a customer's RUC, a product's code) is claimed and
 * searched in: one value whatever its case, so `cafe` finds and collides with `CAFE`. Punctuation is kept:
 * `SOP-001` and `SOP001` are two codes.
 */
export function uniqueKey(value: string): string {
  return value.toUpperCase();
}
