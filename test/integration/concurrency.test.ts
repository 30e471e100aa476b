import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issue,
  type Json,
  pollEvery,
  type Session,
  session,
  tableName,
} from './helpers/local-cloud.ts';

/** Idempotency and numbering under concurrent requests, through the API as clients would hit it. */

const TENANT = 0;

describe('concurrent requests', () => {
  let user: Session;
  beforeAll(async () => {
    user = await session(TENANT, 'USER');
  });

  it('50 concurrent POSTs with one Idempotency-Key create one document', async () => {
    const key = randomUUID();
    const document = exampleDocument('invoice-final-consumer.json');
    const responses = await Promise.all(Array.from({ length: 50 }, () => issue(user, document, key)));
    for (const response of responses) expect(response.status, response.text).toBeLessThan(500);
    const created = responses.filter((response) => response.status === 202);
    expect(created.length).toBeGreaterThan(0);
    // Every 202 is the same document; the others (if any) are 409 "in progress", never a second document.
    expect(new Set(created.map((response) => response.body.data.id)).size).toBe(1);
    for (const response of responses.filter((candidate) => candidate.status !== 202)) {
      expect(response.status, response.text).toBe(409);
    }
    const id: string = created[0]!.body.data.id;
    const number: string = created[0]!.body.data.number;

    // After the burst, the key replays the document.
    const replay = await issue(user, document, key);
    expect(replay.status, replay.text).toBe(202);
    expect(replay.body.data.id).toBe(id);

    // One document with this number in the series, and only one of ours at HKA.
    const claims = await seriesClaims(user.user.tenantId, '0000', created[0]!.body.data.pointOfSale);
    expect(claims.filter((claim) => claim.documentId === id)).toHaveLength(1);
    const final = await pollEvery(
      300,
      () => user.call('GET', `/v1/documents/${id}`),
      (response) => response.body?.data?.status !== 'PROCESSING',
    );
    expect(final.body.data.status).toBe('AUTHORIZED');
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.filter(
      (stored) => stored.numeroDocumentoFiscal.padStart(10, '0') === number,
    );
    expect(atHka.filter((stored) => stored.cufe === final.body.data.cufe)).toHaveLength(1);
  });

  it('200 concurrent POSTs on one point of sale get 202 and distinct consecutive numbers, none lost', async () => {
    const document = exampleDocument('invoice-final-consumer.json');
    const started = Date.now();
    const responses: Array<ApiResponse & { ms: number }> = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const begin = Date.now();
        const response = await issue(user, document);
        return { ...response, ms: Date.now() - begin };
      }),
    );
    const elapsed = Date.now() - started;
    const byStatus = responses.reduce<Record<number, number>>((counts, response) => {
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      return counts;
    }, {});
    const slowest = Math.max(...responses.map((response) => response.ms));
    console.log(
      `[integration] 200 concurrent POSTs: ${JSON.stringify(byStatus)} in ${elapsed} ms (slowest ${slowest} ms)`,
    );
    const failures = responses.filter((response) => response.status !== 202);
    expect(failures.map((response) => `${response.status} ${response.text}`).slice(0, 3)).toEqual([]);

    const docs: Json[] = responses.map((response) => response.body.data);
    expect(new Set(docs.map((doc) => doc.id)).size).toBe(200);
    const pointsOfSale = new Set(docs.map((doc) => `${doc.branch}-${doc.pointOfSale}`));
    expect(pointsOfSale.size).toBe(1);
    const numbers = docs.map((doc) => Number(doc.number)).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(200);
    const first = numbers[0]!;
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, index) => first + index));

    // None lost: every number is claimed by exactly the document that answered with it.
    const [branch, pos] = [...pointsOfSale][0]!.split('-') as [string, string];
    const claims = await seriesClaims(user.user.tenantId, branch, pos);
    const claimOf = new Map(claims.map((claim) => [claim.number, claim.documentId]));
    for (const doc of docs) expect(claimOf.get(doc.number), doc.number).toBe(doc.id);

    // …and every one is issued: AUTHORIZED, each its own document at HKA.
    const started2 = Date.now();
    const finals = await Promise.all(
      docs.map((doc) =>
        pollEvery(
          1000,
          () => user.call('GET', `/v1/documents/${doc.id}`),
          (response) => response.body?.data?.status !== 'PROCESSING',
          150_000,
        ),
      ),
    );
    console.log(`[integration] 200 pipelines drained in ${Date.now() - started2} ms`);
    expect(
      finals.filter((response) => response.body?.data?.status !== 'AUTHORIZED').map((r) => r.text),
    ).toEqual([]);
    const cufes = new Set(finals.map((response) => response.body.data.cufe));
    expect(cufes.size).toBe(200);
    const atHka = new Set((await hkaSandbox.tenant(TENANT)).documents.map((stored) => stored.cufe));
    for (const cufe of cufes) expect(atHka.has(cufe)).toBe(true);
  }, 240_000);
});

/** The number claims of a series (`NUMBER#<10 digits>` items), read straight from DynamoDB Local. */
async function seriesClaims(
  tenantId: string,
  branch: string,
  pos: string,
): Promise<Array<{ number: string; documentId: string }>> {
  const claims: Array<{ number: string; documentId: string }> = [];
  let startKey: Record<string, Json> | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': { S: `T#${tenantId}#SERIES#${branch}#${pos}` },
          ':prefix': { S: 'NUMBER#' },
        },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      claims.push({ number: item.sk!.S!.slice('NUMBER#'.length), documentId: item.documentId!.S! });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return claims;
}
