import { now } from '#shared/clock';
import { config } from '#shared/config/config';
import { completionPut, type IdempotencyClaim, type StoredResponse } from '#shared/data/idempotency';
import { newId } from '#shared/data/ids';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import type { WebhookInput, WebhookResource } from './api.ts';
import { encryptWebhookSecret } from './secrets.ts';
import { generateWebhookSecret } from './signature.ts';
import { type EndpointRecord, webhookStore } from './store.ts';
import { resolveWebhookTarget, WebhookUrlRefusedError } from './target.ts';

/** Endpoints a tenant may register: a few integrations; more usually means endpoints nobody removes. */
export const MAX_WEBHOOKS_PER_TENANT = 10;

export type CreatedWebhook = WebhookResource & { secret: string };

export type WebhookCreationOptions = {
  /** Completes the request's idempotency record in the creation's transaction (without the secret). */
  idempotency?: {
    scope: IdempotencyClaim;
    storedResponse: (created: WebhookResource) => StoredResponse;
  };
};

/**
 * Registers an endpoint after checking its URL (https, resolving only to public addresses). The endpoint, the
 * tenant's count of endpoints (the limit, under concurrent creations too) and the idempotency record are
 * written in one transaction. The secret is returned here once and stored only encrypted: the idempotency
 * record's response leaves it out, so a replay answers the same endpoint without it.
 */
export async function createWebhook(
  ctx: TenantContext,
  input: WebhookInput,
  options: WebhookCreationOptions = {},
): Promise<CreatedWebhook> {
  await checkedUrl(input.url);
  let held = await webhookStore.heldEndpoints(ctx.tenantId);
  if (held.count >= MAX_WEBHOOKS_PER_TENANT) throw limitReached();
  const at = now();
  const id = newId(at);
  const secret = generateWebhookSecret();
  const endpoint: EndpointRecord = {
    id,
    url: input.url,
    events: [...new Set(input.events)],
    ...(input.description ? { description: input.description } : {}),
    status: 'enabled',
    createdAt: at.toISOString(),
    secretCiphertext: await encryptWebhookSecret(ctx.tenantId, id, secret),
  };
  const resource = toWebhookResource(endpoint);
  const completion = options.idempotency
    ? [completionPut(options.idempotency.scope, options.idempotency.storedResponse(resource), at)]
    : [];
  // The counter refuses when a concurrent creation moved it since it was read: read it again and retry. Each
  // refusal means another creation went through, so within the limit's count of rounds the tenant either has
  // room for this one or is at the limit.
  for (let round = 0; round <= MAX_WEBHOOKS_PER_TENANT; round++) {
    if (await webhookStore.createEndpoint(ctx.tenantId, endpoint, held, MAX_WEBHOOKS_PER_TENANT, completion))
      return { ...resource, secret };
    held = await webhookStore.heldEndpoints(ctx.tenantId);
    if (held.count >= MAX_WEBHOOKS_PER_TENANT) break;
  }
  throw limitReached();
}

const limitReached = () =>
  new ConflictError(
    `A tenant may register at most ${MAX_WEBHOOKS_PER_TENANT} webhook endpoints; delete one first`,
    'WEBHOOK_LIMIT_REACHED',
  );

export async function listWebhooks(ctx: TenantContext): Promise<WebhookResource[]> {
  const endpoints = await webhookStore.listEndpoints(ctx.tenantId);
  return endpoints.map(toWebhookResource);
}

/** Its pending deliveries are dropped by the worker when it finds the endpoint gone. */
export async function deleteWebhook(ctx: TenantContext, webhookId: string): Promise<void> {
  if (!(await webhookStore.deleteEndpoint(ctx.tenantId, webhookId))) throw webhookNotFound(webhookId);
}

export async function ownEndpoint(ctx: TenantContext, webhookId: string): Promise<EndpointRecord> {
  const endpoint = await webhookStore.getEndpoint(ctx.tenantId, webhookId);
  if (!endpoint) throw webhookNotFound(webhookId);
  return endpoint;
}

export const webhookNotFound = (webhookId: string) =>
  new NotFoundError(`Webhook ${webhookId} not found`, 'WEBHOOK_NOT_FOUND');

async function checkedUrl(url: string): Promise<void> {
  try {
    await resolveWebhookTarget(url, { allowLoopback: config().webhooksAllowLoopback });
  } catch (error) {
    if (error instanceof WebhookUrlRefusedError) {
      throw new ValidationError(
        [{ path: 'url', message: error.message, code: error.reason }],
        `The webhook URL is refused: it ${error.message}`,
        'WEBHOOK_URL_REFUSED',
      );
    }
    throw error;
  }
}

export function toWebhookResource(endpoint: EndpointRecord): WebhookResource {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description ?? null,
    status: endpoint.status,
    createdAt: endpoint.createdAt,
    disabledAt: endpoint.disabledAt ?? null,
  };
}
