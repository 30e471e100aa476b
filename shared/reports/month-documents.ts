import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { batchGetDocuments, type DocumentRecord } from '#shared/data/documents';
import { GSI, gsiKeys } from '#shared/data/keys';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { getObjectJson } from '#shared/storage/s3';
import { type DocumentLedger, ledgerOf } from './ledger.ts';

/** A document of a report with its ledger (stored, or computed for documents issued before ledgers). */
export type LedgerDocument = DocumentRecord & { ledger: DocumentLedger };

export type MonthFilter = {
  /** `YYYY-MM`, a Panama calendar month (issuedAt is Panama local time). */
  month: string;
  branch?: string;
  pointOfSale?: string;
};

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
/** Documents without a stored ledger read their computed document from S3, this many at a time. */
const LEGACY_READS_IN_PARALLEL = 8;

/**
 * Every document of a tenant issued in a Panama month, oldest first: the keys from the by-date index
 * (`T#<t>#DOCS`, sort key `<issuedAt>#<id>`, `begins_with` the month), narrowed to a branch and point of
 * sale by the index's projected attributes, then the items by BatchGetItem.
 */
export async function documentsOfMonth(tenantId: string, filter: MonthFilter): Promise<LedgerDocument[]> {
  const keyList = await monthKeys(tenantId, filter);
  const documents: DocumentRecord[] = [];
  for (let start = 0; start < keyList.length; start += BATCH_GET_KEYS) {
    documents.push(...(await batchGetDocuments(keyList.slice(start, start + BATCH_GET_KEYS))));
  }
  return withLedgers(documents);
}

async function monthKeys(tenantId: string, filter: MonthFilter): Promise<Array<{ pk: string; sk: string }>> {
  const index = GSI.byDate;
  const names: Record<string, string> = { '#gpk': index.pk, '#gsk': index.sk };
  const values: Record<string, unknown> = {
    ':pk': gsiKeys.documentsByDate(tenantId, '', '').gsi1pk,
    ':month': `${filter.month}-`,
  };
  const filters: string[] = [];
  if (filter.branch !== undefined) {
    names['#branch'] = 'branch';
    values[':branch'] = filter.branch;
    filters.push('#branch = :branch');
  }
  if (filter.pointOfSale !== undefined) {
    names['#pos'] = 'pointOfSale';
    values[':pos'] = filter.pointOfSale;
    filters.push('#pos = :pos');
  }
  const found: Array<{ pk: string; sk: string }> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.name,
        KeyConditionExpression: '#gpk = :pk AND begins_with(#gsk, :month)',
        FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) found.push({ pk: String(item.pk), sk: String(item.sk) });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

async function withLedgers(documents: DocumentRecord[]): Promise<LedgerDocument[]> {
  const result: LedgerDocument[] = new Array(documents.length);
  const legacy: number[] = [];
  documents.forEach((doc, i) => {
    if (doc.ledger) result[i] = doc as LedgerDocument;
    else legacy.push(i);
  });
  for (let start = 0; start < legacy.length; start += LEGACY_READS_IN_PARALLEL) {
    await Promise.all(
      legacy.slice(start, start + LEGACY_READS_IN_PARALLEL).map(async (i) => {
        const doc = documents[i] as DocumentRecord;
        const computed = await getObjectJson<ComputedDocument>(doc.computedKey);
        result[i] = { ...doc, ledger: ledgerOf(computed) };
      }),
    );
  }
  return result;
}
