import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditSource, auditPut } from '#shared/audit/entries';
import { documentClient, tableName } from '#shared/data/client';
import { type CursorBinding, openCursor, sealCursor } from '#shared/data/cursor';
import { cancellationCodes } from '#shared/data/errors';
import { keys } from '#shared/data/keys';
import { BadRequestError, NotFoundError } from '#shared/errors';

/**
 * The platform's view of its tenants: one registry entry per tenant in the platform partition
 * (`T#_platform` / `TENANT#<t>`). Everything the platform routes show lives here, so a platform principal
 * never reads a tenant's own partition; the API's authorizer reads `status` from it.
 */

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export type TenantRegistryEntry = {
  tenantId: string;
  ruc: string;
  dv: string;
  name: string;
  tradeName?: string;
  status: TenantStatus;
  createdAt: string;
  updatedAt?: string;
  /** The first administrator, invited when the tenant is created through the API. */
  admin?: { email: string; name: string };
  /** When that invitation was made; absent while it is pending (a retry of the creation finishes it). */
  adminInvitedAt?: string;
};

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

export const tenantRegistry = {
  async get(tenantId: string): Promise<TenantRegistryEntry | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.tenantRegistryEntry(tenantId) }),
    );
    return out.Item ? (strip(out.Item) as TenantRegistryEntry) : undefined;
  },

  /** The tenant a RUC is registered to, if any. */
  async rucOwner(ruc: string): Promise<string | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.rucRegistration(ruc) }),
    );
    return typeof out.Item?.tenantId === 'string' ? out.Item.tenantId : undefined;
  },

  list(page: { limit: number; cursor?: string; cursorSecret: string }) {
    const { pk, skPrefix } = keys.tenantRegistry();
    return pagedPartition<TenantRegistryEntry>({
      pk,
      skPrefix,
      binding: { tenantId: '_platform', listing: [['tenants', null]] },
      ...page,
    });
  },

  async markAdminInvited(tenantId: string, at: string): Promise<void> {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.tenantRegistryEntry(tenantId),
        UpdateExpression: 'SET adminInvitedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  },

  /**
   * Suspends or reactivates; the audit entry is written in the same transaction. Setting the status it
   * already has changes nothing and records nothing (`changed: false`).
   */
  async setStatus(
    source: AuditSource,
    tenantId: string,
    status: TenantStatus,
    now: Date,
  ): Promise<{ entry: TenantRegistryEntry; changed: boolean }> {
    const current = await this.get(tenantId);
    if (!current) throw new NotFoundError('Tenant not found', 'TENANT_NOT_FOUND');
    if (current.status === status) return { entry: current, changed: false };
    const updatedAt = now.toISOString();
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.tenantRegistryEntry(tenantId),
                UpdateExpression: 'SET #status = :to, updatedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND #status = :from',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':to': status, ':from': current.status, ':at': updatedAt },
              },
            },
            auditPut(
              source,
              null,
              {
                action: status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
                target: { type: 'tenant', id: tenantId },
                changes: { status: { from: current.status, to: status } },
              },
              now,
            ),
          ],
        }),
      );
    } catch (error) {
      // Another request changed the status in between: its outcome stands, read it.
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
        const latest = await this.get(tenantId);
        if (!latest) throw new NotFoundError('Tenant not found', 'TENANT_NOT_FOUND');
        return { entry: latest, changed: false };
      }
      throw error;
    }
    return { entry: { ...current, status, updatedAt }, changed: true };
  },
};

/**
 * One page of the items of a partition under a sort-key prefix, in key order, with a cursor sealed to the
 * listing (shared/data/cursor.ts): a cursor from another listing, tenant or forged is a 400 INVALID_CURSOR.
 */
export async function pagedPartition<T>(options: {
  pk: string;
  skPrefix: string;
  binding: CursorBinding;
  limit: number;
  cursor?: string;
  cursorSecret: string;
  /** Items to leave out (read but not returned), e.g. users being deleted. */
  skip?: (item: Record<string, unknown>) => boolean;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  let startKey: Record<string, unknown> | undefined;
  if (options.cursor) {
    const key = openCursor(options.cursor, options.binding, options.cursorSecret);
    const valid =
      key &&
      Object.keys(key).length === 2 &&
      key.pk === options.pk &&
      typeof key.sk === 'string' &&
      key.sk.startsWith(options.skPrefix);
    if (!valid) throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    startKey = key;
  }
  const items: T[] = [];
  let last: Record<string, unknown> | undefined;
  let more = true;
  while (items.length < options.limit && more) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': options.pk, ':prefix': options.skPrefix },
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      last = { pk: item.pk, sk: item.sk };
      if (!options.skip?.(item)) items.push(strip(item) as T);
    }
    startKey = out.LastEvaluatedKey;
    more = startKey !== undefined;
  }
  return {
    items,
    nextCursor: more && last ? sealCursor(last, options.binding, options.cursorSecret) : null,
  };
}
