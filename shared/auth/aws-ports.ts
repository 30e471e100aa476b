import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { keys } from '#shared/data/keys';
import { logger } from '#shared/observability/logger';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { apiKeyHashKey } from './api-key-hash.ts';
import { apiKeyHmac } from './api-key-secret.ts';
import type { ApiKeyLookup, AuthorizerPorts } from './authorize.ts';
import { verifyIdToken } from './id-tokens.ts';

/** `lastUsedAt` is written at most this often per key: one write a minute, not one per call. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The authorizer's ports on AWS. The lookup, the tenant registry and users' access entries are platform items read with the
 * function's own role (granted those partitions only); `lastUsedAt` is the tenant's item, written through
 * the tenant's session like any tenant data.
 */
export const awsAuthorizerPorts: AuthorizerPorts = {
  hmacOf: async (secret) => apiKeyHmac(secret, await apiKeyHashKey()),

  async findApiKey(secretHmac) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.apiKeyLookup(secretHmac), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      secretHmac: String(Item.pk).slice(String(keys.apiKeyLookup('').pk).length),
      tenantId: String(Item.tenantId),
      keyId: String(Item.keyId),
      role: String(Item.role),
      environment: Item.environment === 'live' ? 'live' : 'test',
      prefix: String(Item.prefix),
      ...(typeof Item.expiresAt === 'string' ? { expiresAt: Item.expiresAt } : {}),
    };
  },

  verifyIdToken,

  async tenantStatus(tenantId) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.tenantRegistryEntry(tenantId),
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return Item?.status === 'suspended' ? 'suspended' : 'active';
  },

  async userAccess(userId) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.userAccess(userId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { tenantId: String(Item.tenantId), role: String(Item.role), enabled: Item.enabled === true };
  },

  async touchApiKey(lookup: ApiKeyLookup, now: Date) {
    try {
      await runAsTenant(lookup.tenantId, () =>
        documentClient().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.apiKey(lookup.tenantId, lookup.keyId),
            UpdateExpression: 'SET lastUsedAt = :now',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
            ExpressionAttributeValues: {
              ':now': now.toISOString(),
              ':stale': new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString(),
            },
          }),
        ),
      );
    } catch (error) {
      // Recorded within the last minute, or revoked meanwhile: nothing to do. Anything else is logged and the
      // call goes on: a usage timestamp never refuses a valid key.
      if (!isConditionalCheckFailed(error)) {
        logger.warn('API key lastUsedAt not recorded', { keyId: lookup.keyId, error: error as Error });
      }
    }
  },

  now: () => new Date(),
};
