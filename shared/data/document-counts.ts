import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { DOCUMENT_STATUSES, type DocumentStatus } from './documents.ts';
import { DOCUMENT_LIST_FILTER_ATTRIBUTES } from './indexes.ts';
import { GSI, gsiKeys } from './keys.ts';

/**
 * What a count is narrowed to: issue dates as the index writes them (Panama local time; a date takes in its
 * whole day), `to` inclusive or open-ended, and the projected filters.
 */
export type CountFilters = {
  from: string;
  to?: string;
} & Partial<Record<(typeof DOCUMENT_LIST_FILTER_ATTRIBUTES)[number], string>>;

/**
 * How many documents of a tenant, issued in the period, are in each status: one `Select: COUNT` Query per
 * status partition of the status index, page after page. Only the index entries (keys and the four filter
 * attributes, about 150 bytes) are read, never the documents: a month of ten thousand documents is a few
 * pages, where reading the documents themselves would be ten thousand items.
 *
 * The index follows a status change within a second or so, so a document changing status as it is counted
 * may be seen in the old status, the new one, or momentarily neither.
 */
export async function countDocumentsByStatus(
  tenantId: string,
  filters: CountFilters,
): Promise<Record<DocumentStatus, number>> {
  const counts = await Promise.all(
    DOCUMENT_STATUSES.map(
      async (status) => [status, await countDocumentsInStatus(tenantId, status, filters)] as const,
    ),
  );
  return Object.fromEntries(counts) as Record<DocumentStatus, number>;
}

/** How many documents of a tenant in one status were issued in the period: one partition of the status index. */
export async function countDocumentsInStatus(
  tenantId: string,
  status: DocumentStatus,
  filters: CountFilters,
): Promise<number> {
  const index = GSI.byStatus;
  const names: Record<string, string> = { '#gpk': index.pk, '#gsk': index.sk };
  const values: Record<string, unknown> = {
    ':pk': gsiKeys.documentsByStatus(tenantId, status, '', '').gsi2pk,
    ':from': filters.from,
  };
  let keyCondition = '#gpk = :pk AND #gsk >= :from';
  if (filters.to !== undefined) {
    // `~` sorts after every character of an id: `to` takes in the whole day (or second) given.
    values[':to'] = `${filters.to}~`;
    keyCondition = '#gpk = :pk AND #gsk BETWEEN :from AND :to';
  }
  const conditions: string[] = [];
  for (const attribute of DOCUMENT_LIST_FILTER_ATTRIBUTES) {
    const value = filters[attribute];
    if (value === undefined) continue;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    conditions.push(`#${attribute} = :${attribute}`);
  }
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.name,
        KeyConditionExpression: keyCondition,
        FilterExpression: conditions.length > 0 ? conditions.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
