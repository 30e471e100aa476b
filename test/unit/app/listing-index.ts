/**
 * The documents listing indexes (gsi1 by date, gsi2 by status) in memory, behind the document client mock,
 * answering Query and BatchGetItem the way DynamoDB does — and refusing with a ValidationException what
 * DynamoDB refuses: empty or oversized key values (partition key ≤ 2048 bytes, sort key ≤ 1024), a BETWEEN
 * whose bounds are reversed, an ExclusiveStartKey that is not exactly the table and index keys, names
 * another partition or lies outside the key condition, and strings that are not valid UTF-16.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { documentItem } from '#shared/data/documents';
import { INDEXES } from '#shared/data/indexes';
import { documentRecord } from './fixtures.ts';

export class ValidationException extends DynamoDBServiceException {
  constructor(message: string) {
    super({ name: 'ValidationException', $fault: 'client', message, $metadata: {} });
  }
}

type Item = Record<string, unknown>;
type QueryInput = {
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
};

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function keyValue(value: unknown, what: string, maxBytes: number): string {
  if (typeof value !== 'string') throw new ValidationException(`${what}: the key must be a string`);
  if (value === '') throw new ValidationException(`${what}: a key attribute cannot be an empty string`);
  if (bytes(value) > maxBytes)
    throw new ValidationException(`${what}: key size has exceeded ${maxBytes} bytes`);
  return value;
}

function refuseInvalidStrings(values: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(values ?? {})) {
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      throw new ValidationException(`${name} is not valid UTF-16`);
    }
  }
}

export class ListingIndex {
  private readonly items: Item[] = [];

  /** `count` documents of `tenantId`, a few hours apart, in rotating statuses. */
  seed(tenantId: string, count: number): void {
    const statuses = ['AUTHORIZED', 'PROCESSING', 'REJECTED'] as const;
    for (let n = 0; n < count; n++) {
      const hour = String(n % 24).padStart(2, '0');
      const day = String(1 + Math.floor(n / 24)).padStart(2, '0');
      this.items.push(
        documentItem(
          documentRecord({
            tenantId,
            documentId: `01KAQ${String(n).padStart(21, '0')}`,
            status: statuses[n % statuses.length]!,
            issuedAt: `2026-11-${day}T${hour}:00:00-05:00`,
          }),
        ),
      );
    }
  }

  install(mock: AwsClientStub<DynamoDBDocumentClient>): void {
    mock.on(QueryCommand).callsFake((input: QueryInput) => this.query(input));
    mock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Item[] }> }) => {
      const [table, { Keys }] = Object.entries(input.RequestItems)[0]!;
      const found = Keys.map((key) => this.items.find((i) => i.pk === key.pk && i.sk === key.sk)).filter(
        (item): item is Item => item !== undefined,
      );
      return { Responses: { [table]: found } };
    });
  }

  query(input: QueryInput): { Items: Item[]; LastEvaluatedKey?: Item } {
    const index = [INDEXES.byDate, INDEXES.byStatus].find((i) => i.name === input.IndexName);
    if (!index) {
      throw new ValidationException(`The table does not have the specified index: ${input.IndexName}`);
    }
    refuseInvalidStrings(input.ExpressionAttributeValues);
    const values = input.ExpressionAttributeValues ?? {};
    const partition = keyValue(values[':pk'], 'partition key', 2048);
    const between = /BETWEEN :from AND :to/.test(input.KeyConditionExpression ?? '');
    const from = between ? keyValue(values[':from'], 'sort key bound', 1024) : undefined;
    const to = between ? keyValue(values[':to'], 'sort key bound', 1024) : undefined;
    if (from !== undefined && to !== undefined && from > to) {
      throw new ValidationException(
        'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound',
      );
    }
    if (input.Limit !== undefined && (!Number.isInteger(input.Limit) || input.Limit < 1)) {
      throw new ValidationException('Limit must be at least 1');
    }
    const inRange = (sk: string) => (from === undefined || sk >= from) && (to === undefined || sk <= to);

    let matches = this.items
      .filter((item) => item[index.pk] === partition && inRange(String(item[index.sk])))
      .sort((a, b) => String(a[index.sk]).localeCompare(String(b[index.sk])));
    if (input.ScanIndexForward === false) matches.reverse();

    const start = input.ExclusiveStartKey;
    if (start) {
      const expected = ['pk', 'sk', index.pk, index.sk];
      if (Object.keys(start).length !== expected.length || !expected.every((name) => name in start)) {
        throw new ValidationException(
          'The provided starting key is invalid: The provided key element does not match the schema',
        );
      }
      keyValue(start.pk, 'ExclusiveStartKey.pk', 2048);
      keyValue(start.sk, 'ExclusiveStartKey.sk', 1024);
      keyValue(start[index.pk], `ExclusiveStartKey.${index.pk}`, 2048);
      const startSk = keyValue(start[index.sk], `ExclusiveStartKey.${index.sk}`, 1024);
      if (start[index.pk] !== partition) {
        throw new ValidationException(
          'The provided starting key is invalid: the partition key differs from the query',
        );
      }
      if (!inRange(startSk)) {
        throw new ValidationException(
          'The provided starting key is outside query boundaries based on provided conditions',
        );
      }
      const after = matches.findIndex((item) =>
        input.ScanIndexForward === false
          ? String(item[index.sk]) < startSk
          : String(item[index.sk]) > startSk,
      );
      matches = after < 0 ? [] : matches.slice(after);
    }
    const page = matches.slice(0, input.Limit ?? matches.length);
    const projected = page.map((item) =>
      Object.fromEntries(
        Object.entries(item).filter(
          ([name]) =>
            ['pk', 'sk', index.pk, index.sk].includes(name) ||
            (index.projection.attributes as readonly string[]).includes(name),
        ),
      ),
    );
    const last = page.length < matches.length ? page.at(-1) : undefined;
    return {
      Items: projected,
      ...(last
        ? {
            LastEvaluatedKey: {
              pk: last.pk,
              sk: last.sk,
              [index.pk]: last[index.pk],
              [index.sk]: last[index.sk],
            },
          }
        : {}),
    };
  }
}
