import type { ExportKind } from './api.ts';
import type { ExportedDocument } from './period-documents.ts';

/**
 * Where a document's file goes in the ZIP: `YYYY-MM/<ruc>-<type>-<branch>-<pos>-<number>.<kind>`, one folder
 * per month of its emission date in Panama (`issuedAt` is stored in Panama time, `…-05:00`), the file named as
 * its single download is (GET /v1/documents/{id}/xml|pdf). Unique within a tenant: a number is used once per
 * point of sale of a branch.
 */
export function entryName(document: ExportedDocument, kind: ExportKind): string {
  const month = document.issuedAt.slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`document ${document.documentId} has no emission date`);
  return `${month}/${document.issuer.ruc}-${document.typeCode}-${document.branch}-${document.pointOfSale}-${document.number}.${kind}`;
}

/** The name the ZIP downloads as: the period it holds. */
export function exportFileName(from: string, to: string): string {
  const day = (value: string) => value.slice(0, 10);
  return `factu-export-${day(from)}-${day(to)}.zip`;
}
