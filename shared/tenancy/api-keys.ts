import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '#shared/audit/entries';
import { apiKeyHashKey } from '#shared/auth/api-key-hash';
import { apiKeyHmac, generateApiKeySecret, publicPrefixOf } from '#shared/auth/api-key-secret';
import { documentClient, tableName } from '#shared/data/client';
import { cancellationCodes } from '#shared/data/errors';
import { completionPut, type IdempotencyClaim, type StoredResponse } from '#shared/data/idempotency';
import { newId } from '#shared/data/ids';
import { keys } from '#shared/data/keys';
import type { TransactItem } from '#shared/data/transactions';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { API_KEY_MAX_LIFETIME_DAYS, type ApiKeyInput, type ApiKeyResource } from './api-keys-api.ts';
import type { TenantContext } from './context.ts';

/** Keys a tenant may hold at once: integrations need a few; more usually means keys nobody revokes. */
export const MAX_API_KEYS_PER_TENANT = 20;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The tenant's item `API_KEY#<id>`. `lookupHmac` is the lookup's key, kept so revocation can delete it. */
type ApiKeyItem = Omit<ApiKeyResource, 'expiresAt' | 'lastUsedAt'> & {
  expiresAt?: string;
  lastUsedAt?: string;
  lookupHmac: string;
};

export type CreatedApiKey = Omit<ApiKeyResource, 'lastUsedAt'> & { secret: string };

export type ApiKeyCreationOptions = {
  now?: Date;
  /** Completes the request's idempotency record in the creation's transaction (without the secret). */
  idempotency?: {
    scope: IdempotencyClaim;
    storedResponse: (created: Omit<CreatedApiKey, 'secret'>) => StoredResponse;
  };
};

/**
 * Creates a key: the tenant's item, the authorizer's lookup (by the secret's HMAC) and the audit entry in one
 * transaction, and with them the idempotency record, whose stored response leaves the secret out: it exists
 * in clear only in this one response.
 */
export async function createApiKey(
  ctx: TenantContext,
  input: ApiKeyInput,
  options: ApiKeyCreationOptions = {},
): Promise<CreatedApiKey> {
  const now = options.now ?? new Date();
  const expiresAt = input.expiresAt === undefined ? undefined : checkedExpiry(input.expiresAt, now);
  const held = await heldApiKeys(ctx.tenantId);
  if (held.count >= MAX_API_KEYS_PER_TENANT) throw limitReached();
  const secret = generateApiKeySecret(input.environment);
  const lookupHmac = apiKeyHmac(secret, await apiKeyHashKey());
  const key: Omit<CreatedApiKey, 'secret'> = {
    id: newId(now),
    name: input.name,
    prefix: publicPrefixOf(secret),
    role: input.role,
    environment: input.environment,
    createdAt: now.toISOString(),
    expiresAt: expiresAt ?? null,
  };
  const item: ApiKeyItem = { ...key, expiresAt, lookupHmac };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.apiKey(ctx.tenantId, key.id), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.apiKeyLookup(lookupHmac),
          tenantId: ctx.tenantId,
          keyId: key.id,
          role: key.role,
          environment: key.environment,
          prefix: key.prefix,
          expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // The limit under concurrency: two creations that both counted 19 cannot both pass this condition.
    {
      Update: {
        TableName: tableName(),
        Key: keys.apiKeyCounter(ctx.tenantId),
        ...(held.stored
          ? {
              UpdateExpression: 'ADD held :one',
              ConditionExpression: 'held < :max',
              ExpressionAttributeValues: { ':one': 1, ':max': MAX_API_KEYS_PER_TENANT },
            }
          : {
              // The first counted creation stores the count; a concurrent one finds the counter and fails.
              UpdateExpression: 'SET held = :held',
              ConditionExpression: 'attribute_not_exists(held)',
              ExpressionAttributeValues: { ':held': held.count + 1 },
            }),
      },
    },
    auditPut(
      ctx,
      ctx.tenantId,
      {
        action: 'api-key.created',
        target: { type: 'api-key', id: key.id },
        changes: {
          name: { to: key.name },
          role: { to: key.role },
          environment: { to: key.environment },
          prefix: { to: key.prefix },
          expiresAt: { to: key.expiresAt },
        },
      },
      now,
    ),
  ];
  if (options.idempotency) {
    items.push(completionPut(options.idempotency.scope, options.idempotency.storedResponse(key), now));
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    // The counter moved since it was read: at the limit now, or a concurrent creation; the caller may retry.
    if (cancellationCodes(error)?.[2] === 'ConditionalCheckFailed') throw limitReached();
    throw error;
  }
  return { ...key, secret };
}

export async function listApiKeys(ctx: TenantContext): Promise<ApiKeyResource[]> {
  const prefix = keys.apiKeyPrefix(ctx.tenantId);
  const found: ApiKeyResource[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) found.push(resourceOf(item as ApiKeyItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/**
 * Revokes a key: its lookup and item deleted with the audit entry, in one transaction. The authorizer's
 * cached answers for it last at most the cache TTL (60 s). Another tenant's key id is simply not found.
 */
export async function revokeApiKey(ctx: TenantContext, keyId: string, now: Date = new Date()): Promise<void> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.apiKey(ctx.tenantId, keyId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFoundError(`API key ${keyId} not found`, 'API_KEY_NOT_FOUND');
  const item = Item as ApiKeyItem;
  const counted = (await heldApiKeys(ctx.tenantId)).stored;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName(),
              Key: keys.apiKey(ctx.tenantId, keyId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Delete: { TableName: tableName(), Key: keys.apiKeyLookup(item.lookupHmac) } },
          // Keys created before the counter existed are counted when the next one is created.
          ...(counted
            ? [
                {
                  Update: {
                    TableName: tableName(),
                    Key: keys.apiKeyCounter(ctx.tenantId),
                    UpdateExpression: 'ADD held :minusOne',
                    ExpressionAttributeValues: { ':minusOne': -1 },
                  },
                },
              ]
            : []),
          auditPut(
            ctx,
            ctx.tenantId,
            {
              action: 'api-key.revoked',
              target: { type: 'api-key', id: keyId },
              changes: {
                name: { from: item.name },
                prefix: { from: item.prefix },
                role: { from: item.role },
              },
            },
            now,
          ),
        ],
      }),
    );
  } catch (error) {
    // Revoked by a concurrent request between the read and the transaction (the key item's condition).
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new NotFoundError(`API key ${keyId} not found`, 'API_KEY_NOT_FOUND');
    }
    throw error;
  }
}

function resourceOf(item: ApiKeyItem): ApiKeyResource {
  return {
    id: item.id,
    name: item.name,
    prefix: item.prefix,
    role: item.role,
    environment: item.environment,
    createdAt: item.createdAt,
    expiresAt: item.expiresAt ?? null,
    lastUsedAt: item.lastUsedAt ?? null,
  };
}

const limitReached = () =>
  new ConflictError(
    `A tenant may hold at most ${MAX_API_KEYS_PER_TENANT} API keys; revoke one first`,
    'API_KEY_LIMIT_REACHED',
  );

/**
 * The keys the tenant holds: its counter (`stored`) or, for a tenant whose keys predate the counter, a count of
 * its key items (which the next creation stores as the counter's first value).
 */
async function heldApiKeys(tenantId: string): Promise<{ count: number; stored: boolean }> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.apiKeyCounter(tenantId), ConsistentRead: true }),
  );
  if (typeof Item?.held === 'number') return { count: Item.held, stored: true };
  const prefix = keys.apiKeyPrefix(tenantId);
  const { Count } = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
      Select: 'COUNT',
    }),
  );
  return { count: Count ?? 0, stored: false };
}

/** `expiresAt` normalised to UTC ISO 8601: in the future and at most two years away. */
function checkedExpiry(expiresAt: string, now: Date): string {
  const at = Date.parse(expiresAt);
  if (!(at > now.getTime())) {
    throw new ValidationError([{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  if (at > now.getTime() + API_KEY_MAX_LIFETIME_DAYS * DAY_MS) {
    throw new ValidationError([
      { path: 'expiresAt', message: `must be at most ${API_KEY_MAX_LIFETIME_DAYS} days from now` },
    ]);
  }
  return new Date(at).toISOString();
}
