import type { DocumentRecord, ListFilters } from '#shared/data/documents';
import { searchKey } from '#shared/data/search-key';

/** What a search names beyond the listing filters: a receiver-name prefix (folded), a CUFE, a 10-digit number. */
export type DocumentSearch = { namePrefix?: string; cufe?: string; number?: string };

/**
 * Whether a document read by a search matches every filter of the request. The searches reach documents
 * through keys that cannot carry every filter (the name index has no status; a number's claim has no date),
 * so the documents found are checked here, with the listings' own meaning of each filter: `from`/`to` compare
 * the Panama-time emission date as the index sort keys do (`to` includes everything under it).
 */
export function matchesSearch(doc: DocumentRecord, search: DocumentSearch, filters: ListFilters): boolean {
  const checks = [
    filters.status === undefined || doc.status === filters.status,
    filters.type === undefined || doc.type === filters.type,
    filters.branch === undefined || doc.branch === filters.branch,
    filters.pointOfSale === undefined || doc.pointOfSale === filters.pointOfSale,
    filters.receiverRuc === undefined || doc.receiverRuc === filters.receiverRuc,
    filters.from === undefined || doc.issuedAt >= filters.from,
    filters.to === undefined || doc.issuedAt <= `${filters.to}~`,
    search.cufe === undefined || doc.cufe === search.cufe,
    search.number === undefined || doc.number === search.number,
    search.namePrefix === undefined || searchKey(doc.receiver.name ?? '').startsWith(search.namePrefix),
  ];
  return checks.every(Boolean);
}
