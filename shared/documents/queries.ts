import type { z } from 'zod';
import { config } from '#shared/config/config';
import { cursorSecret } from '#shared/config/secrets';
import { findByNumber, listSeries, searchByReceiverName } from '#shared/data/document-search';
import {
  type DocumentRecord,
  documentsRepository,
  InvalidCursorError,
  type ListFilters,
} from '#shared/data/documents';
import { isId } from '#shared/data/ids';
import { searchKey } from '#shared/data/search-key';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { isCalendarDate, parseDateTime, toPanamaDateTime } from '#shared/fiscal/panama-time';
import { getObjectJson, presignGet } from '#shared/storage/s3';
import type { TenantContext } from '#shared/tenancy/context';
import type { listDocumentsQuery } from './api.ts';
import { type DocumentSearch, matchesSearch } from './document-filters.ts';
import { type RequestItem, requestItemsOf } from './lines.ts';
import {
  type DocumentEventResource,
  type DocumentResource,
  toDocumentResource,
  toEventResource,
} from './resource.ts';

/** Another tenant's id and a malformed id answer exactly like a missing one: 404, nothing more. */
export async function loadOwnDocument(ctx: TenantContext, id: string) {
  if (!isId(id)) throw new NotFoundError('Document not found', 'DOCUMENT_NOT_FOUND');
  const doc = await documentsRepository.get(ctx.tenantId, id);
  if (!doc) throw new NotFoundError('Document not found', 'DOCUMENT_NOT_FOUND');
  return doc;
}

export async function getDocument(ctx: TenantContext, id: string): Promise<DocumentResource> {
  return toDocumentResource(await loadOwnDocument(ctx, id));
}

export async function getDocumentEvents(ctx: TenantContext, id: string): Promise<DocumentEventResource[]> {
  await loadOwnDocument(ctx, id);
  const events = await documentsRepository.listEvents(ctx.tenantId, id);
  return events.map(toEventResource);
}

/** `GET /v1/documents/{id}/lines`: the lines of the document as accepted, read from its computed document. */
export async function getDocumentLines(ctx: TenantContext, id: string): Promise<{ items: RequestItem[] }> {
  const doc = await loadOwnDocument(ctx, id);
  const computed = await getObjectJson<ComputedDocument>(doc.computedKey);
  return { items: requestItemsOf(computed.items) };
}

export type ListDocumentsQuery = z.output<typeof listDocumentsQuery>;

/**
 * A `from`/`to` filter as the listing indexes' sort keys are written: issue dates are Panama local time
 * (`YYYY-MM-DDThh:mm:ss-05:00`), so a date-time with any other offset is moved to Panama time first; a
 * date stays a date (a prefix of every instant of that day).
 */
function sortKeyBound(value: string | undefined): string | undefined {
  if (value === undefined || isCalendarDate(value)) return value;
  const instant = parseDateTime(value);
  if (!instant) throw new ValidationError([{ path: 'query', message: `${value} is not a date-time` }]);
  return toPanamaDateTime(instant);
}

export async function listDocuments(
  ctx: TenantContext,
  query: ListDocumentsQuery,
): Promise<{ items: DocumentResource[]; nextCursor: string | null }> {
  const { limit, cursor, from, to, q, cufe, number, ...rest } = query;
  const filters: ListFilters = { ...rest, from: sortKeyBound(from), to: sortKeyBound(to) };
  // `to` is inclusive of everything under it (the repository appends `~`); a range that ends before it
  // starts is the caller's mistake, and DynamoDB refuses such a BETWEEN outright.
  if (filters.from !== undefined && filters.to !== undefined && filters.from > `${filters.to}~`) {
    throw new ValidationError([{ path: 'query.to', message: 'must not be before from' }]);
  }
  const search: DocumentSearch = { namePrefix: q === undefined ? undefined : searchKey(q), cufe, number };
  try {
    if (cufe !== undefined || number !== undefined) {
      // One page: at most one document per series (or one in all for a CUFE), so no cursor is ever issued.
      if (cursor !== undefined) throw new InvalidCursorError('cufe and number searches have no pages');
      const found = await findExactly(ctx.tenantId, search, filters);
      return { items: found.map(toDocumentResource), nextCursor: null };
    }
    const page = { limit, cursor, cursorSecret: await cursorSecret() };
    const result = search.namePrefix
      ? await searchByReceiverName(
          ctx.tenantId,
          search.namePrefix,
          filters,
          (doc) => matchesSearch(doc, search, filters),
          page,
        )
      : await documentsRepository.list(ctx.tenantId, filters, page);
    return { items: result.items.map(toDocumentResource), nextCursor: result.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    throw error;
  }
}

/**
 * A `cufe` search reads the CUFE index; a `number` search reads the number's claim in the series of
 * `branch` + `pointOfSale`, or in every series of the tenant narrowed by whichever of the two is given.
 * Every other filter is then applied to the documents found. Newest first.
 */
async function findExactly(
  tenantId: string,
  search: DocumentSearch,
  filters: ListFilters,
): Promise<DocumentRecord[]> {
  let found: DocumentRecord[];
  if (search.cufe !== undefined) {
    const doc = await documentsRepository.findByCufe(tenantId, search.cufe);
    found = doc ? [doc] : [];
  } else {
    const { branch, pointOfSale } = filters;
    const series =
      branch !== undefined && pointOfSale !== undefined
        ? [{ branch, pointOfSale }]
        : (await listSeries(tenantId)).filter(
            (s) =>
              (branch === undefined || s.branch === branch) &&
              (pointOfSale === undefined || s.pointOfSale === pointOfSale),
          );
    found = await findByNumber(tenantId, search.number ?? '', series);
  }
  return found
    .filter((doc) => matchesSearch(doc, search, filters))
    .sort((a, b) => (a.issuedAt === b.issuedAt ? 0 : a.issuedAt < b.issuedAt ? 1 : -1));
}

/** The tenant's document with this CUFE: `GET /v1/documents/by-cufe/{cufe}`; another tenant's CUFE is not found. */
export async function getDocumentByCufe(ctx: TenantContext, cufe: string): Promise<DocumentResource> {
  const doc = await documentsRepository.findByCufe(ctx.tenantId, cufe);
  if (!doc) throw new NotFoundError('Document not found', 'DOCUMENT_NOT_FOUND');
  return toDocumentResource(doc);
}

export type DownloadKind = 'xml' | 'pdf';

/**
 * The archived file of an authorized document; before its authorization, a document delivered in
 * contingency serves its contingency CAFE and the rFE we signed (what the receiver was sent).
 */
function downloadKeyOf(doc: DocumentRecord, kind: DownloadKind): string | undefined {
  const delivered = doc.contingency?.deliveredAt !== undefined;
  if (kind === 'xml') return doc.artifacts?.xmlKey ?? (delivered ? doc.signedXmlKey : undefined);
  return doc.artifacts?.pdfKey ?? (delivered ? doc.contingency?.cafeKey : undefined);
}

/**
 * A short-lived presigned GET for the archived rFE or CAFE. The object key comes from the document item
 * (written by the pipeline under `tenants/<tenantId>/`), never from the request.
 */
export async function getDownloadUrl(
  ctx: TenantContext,
  id: string,
  kind: DownloadKind,
  now: Date = new Date(),
): Promise<{ url: string; expiresAt: string }> {
  const doc = await loadOwnDocument(ctx, id);
  const key = downloadKeyOf(doc, kind);
  if (!key) {
    throw new ConflictError(
      `The ${kind.toUpperCase()} is available once the document is authorized (status is ${doc.status})`,
      'DOCUMENT_NOT_AUTHORIZED',
    );
  }
  if (!key.startsWith(`tenants/${ctx.tenantId}/`)) {
    // Defence in depth: an item pointing outside its tenant's prefix is a bug, never served.
    throw new Error(`document ${id} has an artifact key outside its tenant prefix`);
  }
  const ttl = config().downloadUrlTtlSeconds;
  const fileName = `${doc.issuer.ruc}-${doc.typeCode}-${doc.branch}-${doc.pointOfSale}-${doc.number}.${kind}`;
  const url = await presignGet(key, {
    expiresInSeconds: ttl,
    fileName,
    contentType: kind === 'xml' ? 'application/xml' : 'application/pdf',
  });
  return { url, expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
}
