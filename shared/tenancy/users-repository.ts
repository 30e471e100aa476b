import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditInput, type AuditSource, auditPut } from '#shared/audit/entries';
import { documentClient, tableName } from '#shared/data/client';
import { cancellationCodes, isConditionalCheckFailed } from '#shared/data/errors';
import { keys, ttlEpochSeconds } from '#shared/data/keys';
import type { TransactItem } from '#shared/data/transactions';
import { ConflictError } from '#shared/errors';
import { pagedPartition } from './tenants-registry.ts';
import type { TenantRole } from './users-directory.ts';

/**
 * The tenant's users as the product keeps them (`T#<t>` / `USER#<sub>`): Cognito's ListUsers cannot filter
 * on `custom:tenantId`, so listing a tenant's users reads these items. The tenant's user counters
 * (`T#<t>` / `USERS`, `enabledAdmins`) move in the same transaction as every change that makes a user an
 * enabled ADMIN or stops it being one, under the condition that one stays: two concurrent demotions of
 * the last two admins cannot both succeed.
 */

export type UserRecord = {
  userId: string;
  email: string;
  name: string;
  role: TenantRole;
  enabled: boolean;
  createdAt: string;
  updatedAt?: string;
  /** Set while the user is being deleted (the Cognito user may still exist); such users are not listed. */
  deleting?: true;
};

const isEnabledAdmin = (user: Pick<UserRecord, 'role' | 'enabled'>) => user.role === 'ADMIN' && user.enabled;

/** A change would leave the tenant without an enabled ADMIN. */
export class LastAdminError extends ConflictError {
  constructor() {
    super('The tenant must keep at least one enabled ADMIN', 'LAST_ADMIN');
  }
}

function adminCountChange(before: Pick<UserRecord, 'role' | 'enabled'> | undefined, after: typeof before) {
  const delta =
    Number(after ? isEnabledAdmin(after) : false) - Number(before ? isEnabledAdmin(before) : false);
  return delta;
}

function counterUpdate(tenantId: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.userCounters(tenantId),
      UpdateExpression: 'ADD enabledAdmins :delta',
      // Removing an enabled admin needs another one to remain.
      ...(delta < 0 ? { ConditionExpression: 'enabledAdmins > :one' } : {}),
      ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 ? { ':one': 1 } : {}) },
    },
  };
}

/**
 * How long a deleted user's access entry outlives it (TTL): past the longest an ID token issued before the
 * deletion can live (the web client's is 1 hour), so the authorizer refuses those tokens until they expire.
 */
export const DELETED_ACCESS_TTL_SECONDS = 24 * 60 * 60;

/**
 * The user's access entry (`keys.userAccess`), put in the same transaction as the `USER#` item it mirrors.
 * A user being deleted can no longer call; its entry expires once no token of it can be valid.
 */
function accessPut(tenantId: string, user: UserRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.userAccess(user.userId),
        tenantId,
        role: user.role,
        enabled: user.enabled && !user.deleting,
        updatedAt: now.toISOString(),
        ...(user.deleting ? { expiresAt: ttlEpochSeconds(now, DELETED_ACCESS_TTL_SECONDS) } : {}),
      },
    },
  };
}

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as UserRecord;
};

export const usersRepository = {
  async get(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.user(tenantId, userId) }),
    );
    return out.Item ? strip(out.Item) : undefined;
  },

  list(tenantId: string, page: { limit: number; cursor?: string; cursorSecret: string }) {
    const { pk, skPrefix } = keys.userPrefix(tenantId);
    return pagedPartition<UserRecord>({
      pk,
      skPrefix,
      binding: { tenantId, listing: [['users', null]] },
      skip: (item) => item.deleting === true,
      ...page,
    });
  },

  /** Adds the user (with its audit entry); false when the item already exists (nothing written). */
  async add(source: AuditSource, tenantId: string, user: UserRecord, audit: AuditInput, now: Date) {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...user, ...keys.user(tenantId, user.userId) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(source, tenantId, audit, now),
      accessPut(tenantId, user, now),
    ];
    const delta = adminCountChange(undefined, user);
    if (delta !== 0) items.push(counterUpdate(tenantId, delta));
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  /**
   * Applies `changes` to the user as it was read (`before`): refused with 409 LAST_ADMIN when it would
   * leave no enabled ADMIN, with 409 USER_CHANGED when the user changed since it was read.
   */
  async change(
    source: AuditSource,
    tenantId: string,
    before: UserRecord,
    changes: { role?: TenantRole; enabled?: boolean; deleting?: true },
    audits: AuditInput[],
    now: Date,
  ): Promise<UserRecord> {
    const after: UserRecord = { ...before, ...changes, updatedAt: now.toISOString() };
    if (changes.deleting) after.enabled = false;
    const names: Record<string, string> = { '#role': 'role', '#enabled': 'enabled' };
    const values: Record<string, unknown> = {
      ':role': after.role,
      ':enabled': after.enabled,
      ':at': after.updatedAt,
      ':oldRole': before.role,
      ':oldEnabled': before.enabled,
    };
    let set = 'SET #role = :role, #enabled = :enabled, updatedAt = :at';
    if (changes.deleting) {
      set += ', deleting = :deleting';
      values[':deleting'] = true;
    }
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(tenantId, before.userId),
          UpdateExpression: set,
          ConditionExpression:
            'attribute_exists(pk) AND #role = :oldRole AND #enabled = :oldEnabled AND attribute_not_exists(deleting)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...audits.map((audit) => auditPut(source, tenantId, audit, now)),
      accessPut(tenantId, after, now),
    ];
    const delta = adminCountChange(before, after);
    const counterIndex = items.length;
    if (delta !== 0) items.push(counterUpdate(tenantId, delta));
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[counterIndex] === 'ConditionalCheckFailed') throw new LastAdminError();
      if (codes?.[0] === 'ConditionalCheckFailed') {
        throw new ConflictError('The user changed meanwhile; read it again', 'USER_CHANGED');
      }
      throw error;
    }
    return after;
  },

  /** Forgets a user whose deletion was started (`deleting`); one already forgotten is fine. */
  async forget(tenantId: string, userId: string): Promise<void> {
    try {
      await documentClient().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: keys.user(tenantId, userId),
          ConditionExpression: 'deleting = :yes',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
};

/** The user of this tenant with that id, or undefined (another tenant's id, a user being deleted). */
export async function findTenantUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const user = await usersRepository.get(tenantId, userId);
  return user && !user.deleting ? user : undefined;
}
