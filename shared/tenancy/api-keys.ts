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
  if ((await countApiKeys(ctx.tenantId)) >= MAX_API_KEYS_PER_TENANT) {
    throw new ConflictError(
      `A tenant may hold at most ${MAX_API_KEYS_PER_TENANT} API keys; revoke one first`,
      'API_KEY_LIMIT_REACHED',
    );
  }
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
  await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
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

async function countApiKeys(tenantId: string): Promise<number> {
  const prefix = keys.apiKeyPrefix(tenantId);
  const { Count } = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
      Select: 'COUNT',
    }),
  );
  return Count ?? 0;
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
