/**
 * DynamoDB meter: asks DynamoDB Local for `ReturnConsumedCapacity: INDEXES` on every request that accepts
 * it and adds up what each response reports, reads and writes apart, per function. Two cases DynamoDB
 * Local does not report as AWS bills them are computed instead (see `../dynamodb-capacity.ts`):
 * a committed `TransactWriteItems` (from the items' images read just before and after it), and writes
 * refused by their condition (AWS charges them; an error response reports nothing).
 *
 * The images are read with the caller's own credentials (DynamoDB Local keeps one database per access key
 * and region) and are not counted: AWS would not see them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  CAPACITY_REPORTING_OPERATIONS,
  consumedUnits,
  emptyUnits,
  type Item,
  keyOf,
  refusedWriteUnits,
  type TransactAction,
  transactWriteUnits,
  withMinimumRead,
} from '../dynamodb-capacity';
import type { TableModel } from '../template-model';
import type { UsageRecorder } from '../usage';
import { jsonOf, type Meter, targetOperation } from './proxy';

type Action = { kind: TransactAction['kind']; table: string; key: Item };

const TRANSACT_KINDS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

function actionsOf(body: Record<string, unknown>, table: TableModel): Action[] {
  const items = (body.TransactItems ?? []) as Array<Record<string, Record<string, unknown>>>;
  return items.flatMap((entry) => {
    const kind = TRANSACT_KINDS.find((candidate) => candidate in entry);
    if (!kind) return [];
    const action = entry[kind]!;
    const key = kind === 'Put' ? keyOf(action.Item as Item, table) : (action.Key as Item);
    return [{ kind, table: String(action.TableName), key }];
  });
}

/** The single-item writes whose refusal AWS still charges, and the key each one targets. */
function singleWriteKey(
  operation: string,
  body: Record<string, unknown>,
  table: TableModel,
): Item | undefined {
  if (operation === 'PutItem') return keyOf(body.Item as Item, table);
  if (operation === 'UpdateItem' || operation === 'DeleteItem') return body.Key as Item;
  return undefined;
}

export function dynamoDbMeter(targetUrl: string, table: TableModel, usage: UsageRecorder): Meter {
  const call = async (headers: IncomingHttpHeaders, operation: string, payload: unknown) => {
    const response = await fetch(targetUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        authorization: String(headers.authorization ?? ''),
      },
      body: JSON.stringify(payload),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const images = async (headers: IncomingHttpHeaders, actions: Action[]): Promise<Array<Item | undefined>> =>
    Promise.all(
      actions.map(async (action) => {
        const out = await call(headers, 'GetItem', {
          TableName: action.table,
          Key: action.key,
          ConsistentRead: true,
        });
        return out.Item as Item | undefined;
      }),
    );

  return async (request, forward) => {
    const { operation } = targetOperation(request.headers);
    const body = jsonOf(request.body);
    if (!body || !CAPACITY_REPORTING_OPERATIONS.has(operation)) {
      usage.dynamodb(request.functionName, emptyUnits(), emptyUnits(), operation || 'unknown');
      return forward();
    }
    const transaction = operation === 'TransactWriteItems' ? actionsOf(body, table) : undefined;
    const before = transaction ? await images(request.headers, transaction) : undefined;
    const response = await forward(
      Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: 'INDEXES' })),
    );
    const answer = jsonOf(response.body) ?? {};

    if (response.status === 200) {
      const reported = consumedUnits(operation, answer.ConsumedCapacity);
      if (transaction && before) {
        const after = await images(request.headers, transaction);
        const billed = transactWriteUnits(
          transaction.map((action, index) => ({
            kind: action.kind,
            before: before[index],
            after: after[index],
          })),
          table,
        );
        usage.dynamodb(request.functionName, billed, reported, operation);
      } else {
        const billed = withMinimumRead(operation, body.ConsistentRead === true, reported);
        usage.dynamodb(request.functionName, billed, reported, operation);
      }
      return response;
    }

    const error =
      String(answer.__type ?? '')
        .split('#')
        .pop() ?? '';
    const refused = { ...emptyUnits() };
    if (error === 'TransactionCanceledException' && before) {
      // The prepare phase ran: one write per item.
      refused.wru = refusedWriteUnits(before);
    } else if (error === 'ConditionalCheckFailedException') {
      const key = singleWriteKey(operation, body, table);
      if (key) {
        const existing = await call(request.headers, 'GetItem', { TableName: body.TableName, Key: key });
        refused.wru = refusedWriteUnits([existing.Item as Item | undefined]);
      }
    }
    refused.table = refused.wru;
    usage.dynamodb(request.functionName, refused, emptyUnits(), `${operation}!${error || response.status}`);
    if (refused.wru > 0) usage.fn(request.functionName).dynamodb.refusedWrites += 1;
    return response;
  };
}
