import type { z } from 'zod';
import { config } from '#shared/config/config';
import { documentsRepository, InvalidCursorError, type ListFilters } from '#shared/data/documents';
import { isId } from '#shared/data/ids';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors';
import { presignGet } from '#shared/storage/s3';
import type { TenantContext } from '#shared/tenancy/context';
import type { listDocumentsQuery } from './api.ts';
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

export type ListDocumentsQuery = z.output<typeof listDocumentsQuery>;

export async function listDocuments(
  ctx: TenantContext,
  query: ListDocumentsQuery,
): Promise<{ items: DocumentResource[]; nextCursor: string | null }> {
  const { limit, cursor, ...rest } = query;
  const filters: ListFilters = rest;
  try {
    const page = await documentsRepository.list(ctx.tenantId, filters, { limit, cursor });
    return { items: page.items.map(toDocumentResource), nextCursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new BadRequestError('The cursor is not valid', 'INVALID_CURSOR');
    throw error;
  }
}

export type DownloadKind = 'xml' | 'pdf';

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
  const key = kind === 'xml' ? doc.artifacts?.xmlKey : doc.artifacts?.pdfKey;
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
