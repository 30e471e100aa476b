import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { type CursorBinding, sealCursor } from './cursor.ts';
import { batchGetDocuments, type DocumentRecord, decodeCursor, type ListFilters } from './documents.ts';
import { DOCUMENT_LIST_FILTER_ATTRIBUTES } from './indexes.ts';
import { GSI, gsiKeys, keys } from './keys.ts';
import { storedClaim } from './series-audit.ts';

/**
 * Document lookups beyond the date and status listings: by receiver name (the search index), by number (the
 * series' claims) and by CUFE (documentsRepository.findByCufe). Each reads keys first and then the items, as
 * the listings do; what the index cannot filter is decided by the caller's `accepts` on the whole item.
 */

/** One series of the tenant: a point of sale of a branch. */
export type Series = { branch: string; pointOfSale: string };

/** `T#<t>#DOC#<id>` → `<id>` (ids never contain `#`). */
const documentIdOfKey = (pk: string) => pk.slice(pk.lastIndexOf('#') + 1);

/**
 * Documents whose receiver name starts with `namePrefix` (already `searchKey`-folded), in name order and
 * oldest first within a name. The index filters the attributes it projects; `accepts` decides the rest
 * (status, dates) on the items read. The cursor is the index key of the last item examined, sealed for this
 * tenant, prefix and filters, so a page cut inside an index page resumes right after it.
 */
export async function searchByReceiverName(
  tenantId: string,
  namePrefix: string,
  filters: ListFilters,
  accepts: (doc: DocumentRecord) => boolean,
  page: { limit: number; cursor?: string; cursorSecret: string },
): Promise<{ items: DocumentRecord[]; nextCursor?: string }> {
  const index = GSI.bySearchKey;
  const partition = gsiKeys.documentByReceiverName(tenantId, '', '', '').gsi5pk;
  const binding = nameSearchBinding(tenantId, namePrefix, filters);
  const names: Record<string, string> = { '#gpk': index.pk, '#gsk': index.sk };
  const values: Record<string, unknown> = { ':pk': partition, ':prefix': namePrefix };
  const filterParts: string[] = [];
  for (const attribute of DOCUMENT_LIST_FILTER_ATTRIBUTES) {
    const value = filters[attribute];
    if (value === undefined) continue;
    names[`#ff${filterParts.length}`] = attribute;
    values[`:ff${filterParts.length}`] = value;
    filterParts.push(`#ff${filterParts.length} = :ff${filterParts.length}`);
  }

  let startKey = page.cursor
    ? decodeCursor(page.cursor, binding, page.cursorSecret, { pk: index.pk, sk: index.sk, partition })
    : undefined;
  const found: DocumentRecord[] = [];
  // Bounded so one request never reads a whole tenant's history looking for a rare match.
  for (let round = 0; round < 10 && found.length < page.limit; round++) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.name,
        KeyConditionExpression: '#gpk = :pk AND begins_with(#gsk, :prefix)',
        FilterExpression: filterParts.length ? filterParts.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: Math.max(page.limit, 25),
        ExclusiveStartKey: startKey,
      }),
    );
    const entries = out.Items ?? [];
    const docs = await batchGetDocuments(
      entries.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) })),
    );
    const byId = new Map(docs.map((doc) => [doc.documentId, doc]));
    let stoppedAt = -1;
    for (const [i, entry] of entries.entries()) {
      const doc = byId.get(documentIdOfKey(String(entry.pk)));
      if (doc && accepts(doc)) found.push(doc);
      if (found.length === page.limit) {
        stoppedAt = i;
        break;
      }
    }
    if (stoppedAt >= 0 && stoppedAt < entries.length - 1) {
      const last = entries[stoppedAt]!;
      startKey = { pk: last.pk, sk: last.sk, [index.pk]: last[index.pk], [index.sk]: last[index.sk] };
      break;
    }
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  return {
    items: found,
    nextCursor: startKey ? sealCursor(startKey, binding, page.cursorSecret) : undefined,
  };
}

function nameSearchBinding(tenantId: string, namePrefix: string, filters: ListFilters): CursorBinding {
  return {
    tenantId,
    listing: [
      ['index', GSI.bySearchKey.name],
      ['q', namePrefix],
      ['status', filters.status ?? null],
      ['from', filters.from ?? null],
      ['to', filters.to ?? null],
      ...DOCUMENT_LIST_FILTER_ATTRIBUTES.map((name) => [name, filters[name] ?? null] as const),
    ],
  };
}

/**
 * The documents numbered `number` (10 digits) in the given series: one key read per series of the number's
 * claim (BatchGetItem, 100 keys a round), then the documents of the ISSUED claims (a VOID number has none).
 */
export async function findByNumber(
  tenantId: string,
  number: string,
  series: readonly Series[],
): Promise<DocumentRecord[]> {
  const claimKeys = series.map((s) => keys.numberClaim(tenantId, s.branch, s.pointOfSale, number));
  const documentIds: string[] = [];
  for (let start = 0; start < claimKeys.length; start += 100) {
    let pending: Array<Record<string, unknown>> = claimKeys.slice(start, start + 100);
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
      const out = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) {
        const claim = storedClaim(item);
        if (claim.status === 'ISSUED') documentIds.push(claim.documentId);
      }
      pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return batchGetDocuments(documentIds.map((id) => keys.document(tenantId, id)));
}

/** Every series of the tenant: its points of sale, read from the branch registry (one Query). */
export async function listSeries(tenantId: string): Promise<Series[]> {
  const { pk, skPrefix } = keys.branchPrefix(tenantId);
  const series: Series[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    // Branch and point-of-sale items share the prefix; points of sale carry `branchCode`.
    for (const item of page.Items ?? []) {
      if (typeof item.branchCode === 'string') {
        series.push({ branch: item.branchCode, pointOfSale: String(item.code) });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return series;
}
