import * as z from 'zod';
import { API_KEY_ENVIRONMENTS } from '#shared/auth/api-key-secret';
import { defineOperation } from '#shared/http/operation';

/** Roles an API key may hold: integrations issue (USER) or read (OPERATOR); none administers the tenant. */
export const API_KEY_ROLES = ['USER', 'OPERATOR'] as const;

/** The longest a key may live: two years from its creation. */
export const API_KEY_MAX_LIFETIME_DAYS = 730;

export const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  role: z.enum(API_KEY_ROLES),
  environment: z
    .enum(API_KEY_ENVIRONMENTS)
    .default('live')
    .describe("test → documents go to HKA's demo environment whatever the tenant's; live → the tenant's"),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('In the future and at most two years away; absent = never expires'),
});
export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;

export const apiKeyResource = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The public start of the secret, to recognise a key'),
  role: z.enum(API_KEY_ROLES),
  environment: z.enum(API_KEY_ENVIRONMENTS),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('Recorded at most once a minute'),
});
export type ApiKeyResource = z.output<typeof apiKeyResource>;

const createdApiKey = apiKeyResource.omit({ lastUsedAt: true }).extend({
  secret: z
    .string()
    .optional()
    .describe(
      'Shown once, in the first response only: a replay of the same Idempotency-Key answers without it, because it is never stored in clear',
    ),
});

const exampleKey = {
  id: '01KBX4C7H2J9Q5W8E3R6T1Y0UA',
  name: 'POS de la caja 1',
  prefix: 'fk_live_q3Xv',
  role: 'USER' as const,
  environment: 'live' as const,
  createdAt: '2026-12-06T15:20:04.118Z',
  expiresAt: null,
};

export const apiKeyOperations = {
  createApiKey: defineOperation({
    operationId: 'createApiKey',
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key (its secret is shown once)',
    description:
      'Call the API with `Authorization: Bearer <secret>`. The secret is stored only as a keyed hash; keep it ' +
      'where you keep passwords. A replay of the same Idempotency-Key answers 201 without `secret`.',
    tags: ['api-keys'],
    permission: 'api-keys:manage',
    body: apiKeyInputSchema,
    idempotent: true,
    successStatus: 201,
    response: createdApiKey,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: {
      body: { name: 'POS de la caja 1', role: 'USER', environment: 'live' },
      response: { ...exampleKey, secret: 'fk_live_q3Xv9bT0kLmZ2pR7sW4yN8cH1dF6gJ5aE0uQ3iO7vK2' },
    },
  }),
  listApiKeys: defineOperation({
    operationId: 'listApiKeys',
    method: 'get',
    path: '/v1/api-keys',
    summary: "List the tenant's API keys (never their secrets)",
    tags: ['api-keys'],
    permission: 'api-keys:manage',
    successStatus: 200,
    response: z.array(apiKeyResource),
    errors: [401, 403],
    example: { response: [{ ...exampleKey, lastUsedAt: '2026-12-06T15:31:40.502Z' }] },
  }),
  revokeApiKey: defineOperation({
    operationId: 'revokeApiKey',
    method: 'delete',
    path: '/v1/api-keys/{id}',
    summary: 'Revoke an API key (refused by the API within the authorizer cache TTL, 60 s)',
    tags: ['api-keys'],
    permission: 'api-keys:manage',
    params: z.object({ id: z.string().min(1).max(64) }),
    successStatus: 200,
    response: z.object({ revoked: z.literal(true) }),
    errors: [401, 403, 404],
    example: { params: { id: exampleKey.id }, response: { revoked: true } },
  }),
};
