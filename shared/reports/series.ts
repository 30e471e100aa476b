import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { batchGetDocuments, type DocumentRecord } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { formatDocumentNumber } from '#shared/data/numbering';
import { type StoredClaim, storedClaim } from '#shared/data/series-audit';

/** The series counter: the highest number handed out (0 before the first). */
export async function seriesLastNumber(
  tenantId: string,
  branch: string,
  pointOfSale: string,
): Promise<number> {
  const out = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.seriesCounter(tenantId, branch, pointOfSale),
      ConsistentRead: true,
    }),
  );
  return Number(out.Item?.lastNumber ?? 0);
}

/** The claims of numbers `from`..`to` of a series, in number order. */
export async function seriesClaims(
  tenantId: string,
  branch: string,
  pointOfSale: string,
  range: { from: number; to: number },
): Promise<StoredClaim[]> {
  const { pk, skPrefix } = keys.numberClaimPrefix(tenantId, branch, pointOfSale);
  const claims: StoredClaim[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':from': `${skPrefix}${formatDocumentNumber(range.from)}`,
          ':to': `${skPrefix}${formatDocumentNumber(range.to)}`,
        },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) claims.push(storedClaim(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return claims;
}

/** The documents of the ISSUED claims, read 100 keys at a time. */
export async function claimedDocuments(
  tenantId: string,
  claims: readonly StoredClaim[],
): Promise<DocumentRecord[]> {
  const ids = [...new Set(claims.filter((c) => c.status === 'ISSUED').map((c) => c.documentId))];
  const documents: DocumentRecord[] = [];
  for (let start = 0; start < ids.length; start += 100) {
    const page = ids.slice(start, start + 100).map((id) => keys.document(tenantId, id));
    documents.push(...(await batchGetDocuments(page)));
  }
  return documents;
}
