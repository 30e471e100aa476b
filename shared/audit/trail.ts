import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { type CursorBinding, openCursor, sealCursor } from '#shared/data/cursor';
import { keys, PLATFORM_SCOPE } from '#shared/data/keys';
import type { AuditAction } from './actions.ts';
import type { AuditEntry } from './entries.ts';

/**
 * What a listing of the trail narrows to: `from`/`to` are bounds of the sort key (`<at, ISO>#<entry id>`),
 * inclusive; `action` and `actorId` are filters on the entries read.
 */
export type AuditFilters = {
  from?: string;
  to?: string;
  action?: AuditAction;
  actorId?: string;
};

/** A cursor that was not handed out for this scope and these filters. */
export class InvalidAuditCursorError extends Error {
  override readonly name = 'InvalidAuditCursorError';
}

/** Reads per request at most: a rare filter over a long trail answers a short page and a cursor instead. */
const MAX_ROUNDS = 10;

/**
 * The entries of one audit partition (a tenant's, or the platform's with `scope` null), newest first. The
 * date range narrows the Query's key condition; action and actor are a FilterExpression, so a page may hold
 * fewer than `limit` entries. The cursor is the key of the last entry returned when the page stopped inside
 * what DynamoDB read (never past an entry the caller has not seen), else DynamoDB's own last evaluated key;
 * it is sealed to the scope and the filters (shared/data/cursor.ts).
 */
export async function listAuditEntries(
  scope: string | null,
  filters: AuditFilters,
  page: { limit: number; cursor?: string; cursorSecret: string },
): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
  const { pk } = keys.auditPartition(scope);
  const binding = cursorBinding(scope, filters);
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = { ':pk': pk };
  let keyCondition = '#pk = :pk';
  if (filters.from !== undefined || filters.to !== undefined) {
    names['#sk'] = 'sk';
    values[':from'] = filters.from ?? '0';
    // `~` sorts after `#` and every character of an entry id: `to` includes every entry at that instant.
    values[':to'] = `${filters.to ?? '9'}~`;
    keyCondition += ' AND #sk BETWEEN :from AND :to';
  }
  const filterParts: string[] = [];
  if (filters.action !== undefined) {
    names['#action'] = 'action';
    values[':action'] = filters.action;
    filterParts.push('#action = :action');
  }
  if (filters.actorId !== undefined) {
    names['#actor'] = 'actor';
    names['#actorId'] = 'id';
    values[':actorId'] = filters.actorId;
    filterParts.push('#actor.#actorId = :actorId');
  }

  let startKey = page.cursor ? decodeCursor(page.cursor, binding, page.cursorSecret, pk) : undefined;
  const entries: AuditEntry[] = [];
  for (let round = 0; round < MAX_ROUNDS && entries.length < page.limit; round++) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: keyCondition,
        FilterExpression: filterParts.length > 0 ? filterParts.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: Math.max(page.limit, 25),
        ExclusiveStartKey: startKey,
      }),
    );
    const matched = out.Items ?? [];
    const room = page.limit - entries.length;
    for (const item of matched.slice(0, room)) entries.push(entryOf(item));
    if (matched.length > room) {
      // Stopped inside what was read: resume right after the last entry returned.
      const last = matched[room - 1]!;
      startKey = { pk: last.pk, sk: last.sk };
      break;
    }
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  return {
    entries,
    nextCursor: startKey ? sealCursor(startKey, binding, page.cursorSecret) : undefined,
  };
}

function entryOf(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, ...entry } = item;
  return entry as AuditEntry;
}

function cursorBinding(scope: string | null, filters: AuditFilters): CursorBinding {
  return {
    tenantId: scope ?? PLATFORM_SCOPE,
    listing: [
      ['listing', 'audit'],
      ['from', filters.from ?? null],
      ['to', filters.to ?? null],
      ['action', filters.action ?? null],
      ['actorId', filters.actorId ?? null],
    ],
  };
}

/** A sealed cursor of this listing naming a key of the caller's own audit partition; anything else refused. */
function decodeCursor(
  cursor: string,
  binding: CursorBinding,
  secret: string,
  pk: string,
): Record<string, unknown> {
  const key = openCursor(cursor, binding, secret);
  if (!key) throw new InvalidAuditCursorError('cursor was not issued for this listing');
  const names = Object.keys(key);
  const valid =
    names.length === 2 &&
    key.pk === pk &&
    typeof key.sk === 'string' &&
    key.sk !== '' &&
    names.includes('sk');
  if (!valid) throw new InvalidAuditCursorError('cursor does not name a key of this listing');
  return key;
}
