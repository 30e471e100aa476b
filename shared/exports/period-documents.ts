import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { GSI, gsiKeys } from '#shared/data/keys';
import { ValidationError } from '#shared/errors';
import { isCalendarDate, parseDateTime, toPanamaDateTime } from '#shared/fiscal/panama-time';
import type { ExportableStatus } from './api.ts';

/** Bounds of the status index's sort key (`<issuedAt, Panama>#<id>`), both inclusive. */
export type SortKeyRange = { low: string; high: string };

/** What the export reads of each document: enough to name its files and find them. */
export type ExportedDocument = {
  documentId: string;
  typeCode: string;
  branch: string;
  pointOfSale: string;
  number: string;
  issuedAt: string;
  issuer: { ruc: string };
  artifacts?: { xmlKey: string; pdfKey: string };
};

/** Documents read per index page, per BatchGetItem, and between two progress updates. */
export const PAGE_SIZE = 100;

/**
 * `from`/`to` as the index's sort keys are written: a Panama date is a prefix of every instant of that day; a
 * date-time with any offset is moved to Panama time first. `to` takes everything under it (`~` sorts after
 * every character of an id).
 */
export function periodRange(from: string, to: string): SortKeyRange {
  const bound = (value: string, path: string) => {
    if (isCalendarDate(value)) return value;
    const instant = parseDateTime(value);
    if (!instant) throw new ValidationError([{ path, message: `${value} is not a date or date-time` }]);
    return toPanamaDateTime(instant);
  };
  const range = { low: bound(from, 'from'), high: `${bound(to, 'to')}~` };
  if (range.low > range.high) throw new ValidationError([{ path: 'to', message: 'must not be before from' }]);
  return range;
}

/** Documents in one of `statuses` issued within `range`, counted on the status index; stops once past `atMost`. */
export async function countPeriodDocuments(
  tenantId: string,
  statuses: readonly ExportableStatus[],
  range: SortKeyRange,
  atMost: number,
): Promise<number> {
  let count = 0;
  for (const status of statuses) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          ...periodQuery(tenantId, status, range),
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey && count <= atMost);
    if (count > atMost) break;
  }
  return count;
}

/**
 * The documents of the period, status by status and oldest first, in pages of at most PAGE_SIZE: the index is
 * read one page at a time and only then the page's items, so memory holds one page whatever the period.
 */
export async function* periodDocuments(
  tenantId: string,
  statuses: readonly ExportableStatus[],
  range: SortKeyRange,
): AsyncGenerator<ExportedDocument[]> {
  for (const status of statuses) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          ...periodQuery(tenantId, status, range),
          Limit: PAGE_SIZE,
          ExclusiveStartKey: startKey,
        }),
      );
      const page = await readDocuments((out.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk })));
      if (page.length > 0) yield page;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

function periodQuery(tenantId: string, status: ExportableStatus, range: SortKeyRange) {
  const index = GSI.byStatus;
  return {
    TableName: tableName(),
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
    ExpressionAttributeNames: { '#pk': index.pk, '#sk': index.sk },
    ExpressionAttributeValues: {
      ':pk': gsiKeys.documentsByStatus(tenantId, status, '', '').gsi2pk,
      ':low': range.low,
      ':high': range.high,
    },
  };
}

const FIELDS = [
  'documentId',
  'typeCode',
  'branch',
  'pointOfSale',
  'number',
  'issuedAt',
  'issuer.ruc',
  'artifacts',
];

/** The items of `itemKeys` (≤ 100: one BatchGetItem, plus rounds for unprocessed keys), in that order. */
async function readDocuments(itemKeys: Array<Record<string, unknown>>): Promise<ExportedDocument[]> {
  if (itemKeys.length === 0) return [];
  const names: Record<string, string> = { '#pk': 'pk' };
  const projection = ['#pk', ...FIELDS].map((path) =>
    path.startsWith('#')
      ? path
      : path
          .split('.')
          .map((part) => {
            names[`#${part}`] = part;
            return `#${part}`;
          })
          .join('.'),
  );
  const byPk = new Map<string, ExportedDocument>();
  let pending = itemKeys;
  for (let round = 0; pending.length > 0; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
    if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
    const out = await documentClient().send(
      new BatchGetCommand({
        RequestItems: {
          [tableName()]: {
            Keys: pending,
            ProjectionExpression: projection.join(', '),
            ExpressionAttributeNames: names,
          },
        },
      }),
    );
    for (const item of out.Responses?.[tableName()] ?? []) {
      const { pk, ...document } = item;
      byPk.set(String(pk), document as ExportedDocument);
    }
    pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return itemKeys.flatMap((key) => byPk.get(String(key.pk)) ?? []);
}
