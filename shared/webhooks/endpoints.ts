import { now } from '#shared/clock';
import { config } from '#shared/config/config';
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

/**
 * Registers an endpoint after checking its URL (https, resolving only to public addresses). The secret is
 * returned here once and stored only encrypted.
 */
export async function createWebhook(ctx: TenantContext, input: WebhookInput): Promise<CreatedWebhook> {
  await checkedUrl(input.url);
  const held = await webhookStore.listEndpoints(ctx.tenantId);
  if (held.length >= MAX_WEBHOOKS_PER_TENANT) {
    throw new ConflictError(
      `A tenant may register at most ${MAX_WEBHOOKS_PER_TENANT} webhook endpoints; delete one first`,
      'WEBHOOK_LIMIT_REACHED',
    );
  }
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
  await webhookStore.putEndpoint(ctx.tenantId, endpoint);
  return { ...toWebhookResource(endpoint), secret };
}

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
