import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { newId } from '#shared/data/ids';
import { keys } from '#shared/data/keys';
import type { TransactItem } from '#shared/data/transactions';
import type { Actor, RequestOrigin } from '#shared/tenancy/context';
import type { AuditAction } from './actions.ts';

/** A field's value before and after the action (either side absent when it did not exist). */
export type AuditChange = { from?: unknown; to?: unknown };

export type AuditEntry = {
  entryId: string;
  at: string;
  /** The tenant the action concerns, or `null` for a platform action. */
  tenantId: string | null;
  /** The id and the e-mail, or the key's public prefix: nothing secret. */
  actor: Actor;
  action: AuditAction;
  target: { type: string; id: string };
  requestId: string | null;
  sourceIp: string | null;
  changes: Record<string, AuditChange>;
};

export type AuditInput = {
  action: AuditAction;
  target: { type: string; id: string };
  changes?: Record<string, AuditChange>;
};

/** Who acted and from which request: a tenant context, or a platform principal, is enough. */
export type AuditSource = { actor: Actor; origin?: RequestOrigin };

/**
 * Field names that would hold a secret. An entry is written by code, not by callers' data, so a name like
 * these can only be a programming mistake: it is refused before anything is stored.
 */
const SECRET_NAME = /secret|password|token|pin\b|privatekey|p12|hash/i;

function assertNoSecrets(changes: Record<string, AuditChange>): void {
  for (const name of Object.keys(changes)) {
    if (SECRET_NAME.test(name)) throw new Error(`audit changes may not carry a secret-like field (${name})`);
  }
}

export function auditEntry(
  source: AuditSource,
  scope: string | null,
  input: AuditInput,
  now: Date = new Date(),
): AuditEntry {
  const changes = input.changes ?? {};
  assertNoSecrets(changes);
  return {
    entryId: newId(now),
    at: now.toISOString(),
    tenantId: scope,
    actor: { ...source.actor },
    action: input.action,
    target: input.target,
    requestId: source.origin?.requestId ?? null,
    sourceIp: source.origin?.sourceIp ?? null,
    changes,
  };
}

/**
 * The entry as one element of the transaction that makes the change, so the trail and the change are
 * written together or not at all. Entries are only ever created (`attribute_not_exists`): no code path updates
 * or deletes one, and the function roles are denied both on audit partitions.
 */
export function auditPut(
  source: AuditSource,
  scope: string | null,
  input: AuditInput,
  now: Date = new Date(),
): TransactItem {
  const entry = auditEntry(source, scope, input, now);
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.auditEntry(scope, entry.at, entry.entryId), ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * The entry alone, for an action that is not a DynamoDB write of ours (an e-mail sent, HKA asked): written
 * right after the action succeeded.
 */
export async function recordAudit(
  source: AuditSource,
  scope: string | null,
  input: AuditInput,
  now: Date = new Date(),
): Promise<void> {
  const { Put } = auditPut(source, scope, input, now);
  await documentClient().send(new PutCommand(Put!));
}
