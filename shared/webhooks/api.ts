import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from '#shared/events/catalog';
import { defineOperation } from '#shared/http/operation';
import { MAX_WEBHOOK_URL_LENGTH } from './target.ts';

export const WEBHOOK_STATUSES = ['enabled', 'disabled'] as const;
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const webhookInputSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1)
    .max(MAX_WEBHOOK_URL_LENGTH)
    .describe('https only; must resolve to public addresses (checked now and before every delivery)'),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .describe('The event types delivered to this endpoint'),
  description: z.string().trim().max(200).optional(),
});
export type WebhookInput = z.output<typeof webhookInputSchema>;

export const webhookResource = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  description: z.string().nullable(),
  status: z
    .enum(WEBHOOK_STATUSES)
    .describe('disabled after failing deliveries for 3 days (or 20 failed in a row)'),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type WebhookResource = z.output<typeof webhookResource>;

const createdWebhook = webhookResource.extend({
  secret: z
    .string()
    .optional()
    .describe(
      "Shown once, in the first response only: verify each delivery's Factu-Signature header with it. A replay " +
        'of the same Idempotency-Key answers without it, because it is kept only encrypted with the endpoint',
    ),
});

export const deliveryResource = z.object({
  id: z.string(),
  eventId: z.string().describe("The event's id, the same on every delivery of it: dedupe on it"),
  type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastResponseCode: z.number().int().nullable().describe('null when no HTTP answer came (timeout, refused)'),
  lastDurationMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  test: z.boolean().describe('A test event (POST /v1/webhooks/{id}/test): never retried'),
});
export type DeliveryResource = z.output<typeof deliveryResource>;

const idParams = z.object({ id: z.string().min(1).max(64) });
const deliveryParams = z.object({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) });

export const listDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

const exampleWebhook: WebhookResource = {
  id: '01KBXA2F7Q9M3T6W1Y4C8E0H5J',
  url: 'https://erp.example.com/factu/webhooks',
  events: ['document.authorized', 'document.rejected'],
  description: 'ERP',
  status: 'enabled',
  createdAt: '2026-12-06T15:20:04.118Z',
  disabledAt: null,
};

const exampleDelivery: DeliveryResource = {
  id: '01KBXA5R2B8D4F6H0K3M7P9S1V',
  eventId: '4b1f0c7e-2f0a-4c8e-9a57-3f3b0d9c2e61',
  type: 'document.authorized',
  status: 'succeeded',
  attempts: 2,
  lastResponseCode: 200,
  lastDurationMs: 84,
  lastError: null,
  nextAttemptAt: null,
  createdAt: '2026-12-06T15:31:40.502Z',
  test: false,
};

export const webhookOperations = {
  createWebhook: defineOperation({
    operationId: 'createWebhook',
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Register a webhook endpoint (its signing secret is shown once)',
    description:
      'Each event is POSTed as `{id, type, createdAt, data}` with `Factu-Signature: t=<unix>,v1=<hex>` ' +
      '(HMAC-SHA256 of `<t>.<body>` with the secret). At most 10 endpoints per tenant. A replay of the same ' +
      'Idempotency-Key answers 201 with the same endpoint, without `secret`. See docs/webhooks.md.',
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    body: webhookInputSchema,
    idempotent: true,
    successStatus: 201,
    response: createdWebhook,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: {
      body: { url: exampleWebhook.url, events: exampleWebhook.events, description: 'ERP' },
      response: { ...exampleWebhook, secret: 'whsec_3q9XvT0kLmZ2pR7sW4yN8cH1dF6gJ5aE0uQ3iO7vK2b' },
    },
  }),
  listWebhooks: defineOperation({
    operationId: 'listWebhooks',
    method: 'get',
    path: '/v1/webhooks',
    summary: "List the tenant's webhook endpoints (never their secrets)",
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    successStatus: 200,
    response: z.array(webhookResource),
    errors: [401, 403],
    example: { response: [exampleWebhook] },
  }),
  deleteWebhook: defineOperation({
    operationId: 'deleteWebhook',
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Delete a webhook endpoint (its pending deliveries are dropped)',
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    params: idParams,
    successStatus: 200,
    response: z.object({ deleted: z.literal(true) }),
    errors: [401, 403, 404],
    example: { params: { id: exampleWebhook.id }, response: { deleted: true } },
  }),
  listWebhookDeliveries: defineOperation({
    operationId: 'listWebhookDeliveries',
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: "An endpoint's deliveries, newest first: status, attempts, last answer (kept 30 days)",
    description: 'Pass `nextCursor` as `cursor` for the next page.',
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    params: idParams,
    query: listDeliveriesQuery,
    successStatus: 200,
    response: z.object({ items: z.array(deliveryResource), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 404, 422],
    example: {
      params: { id: exampleWebhook.id },
      query: { limit: 25 },
      response: { items: [exampleDelivery], nextCursor: null },
    },
  }),
  redeliverWebhookDelivery: defineOperation({
    operationId: 'redeliverWebhookDelivery',
    method: 'post',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Send an event again (same event id and body) as a new delivery, attempted at once',
    description:
      'Answers the new delivery after its first attempt; if that attempt fails it is retried like any other.',
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    params: deliveryParams,
    successStatus: 201,
    response: deliveryResource,
    errors: [401, 403, 404],
    example: {
      params: { id: exampleWebhook.id, deliveryId: exampleDelivery.id },
      response: { ...exampleDelivery, id: '01KBXA9W4C1E3G5J7L9N2Q4S6U', attempts: 1 },
    },
  }),
  testWebhook: defineOperation({
    operationId: 'testWebhook',
    method: 'post',
    path: '/v1/webhooks/{id}/test',
    summary: 'Send a test event to the endpoint now and answer how it went',
    description:
      'A sample event of the first type the endpoint subscribes to, with `"test": true` beside `data`, signed ' +
      'like every delivery. Not retried and not counted towards disabling the endpoint.',
    tags: ['webhooks'],
    permission: 'webhooks:manage',
    params: idParams,
    successStatus: 201,
    response: deliveryResource,
    errors: [401, 403, 404],
    example: {
      params: { id: exampleWebhook.id },
      response: { ...exampleDelivery, id: '01KBXAB1D3F5H7K9M1P3R5T7W9', attempts: 1, test: true },
    },
  }),
};
