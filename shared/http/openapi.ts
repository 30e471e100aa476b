import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { Operation } from './operation.ts';

const errorEnvelope = z.object({
  success: z.literal(false),
  error: z.string(),
  code: z.string(),
  details: z.array(
    z.object({
      path: z.string(),
      message: z.string(),
      /** A rule's finding or an explained HKA answer: the rule, its weight, how to fix it (one text, or es/en). */
      code: z.string().optional(),
      severity: z.enum(['error', 'warning']).optional(),
      hint: z.union([z.string(), z.object({ es: z.string(), en: z.string() })]).optional(),
    }),
  ),
  requestId: z.string(),
  timestamp: z.string(),
});

const STATUS_TEXT: Record<number, string> = {
  302: 'Redirect to the presigned URL',
  400: 'Malformed request (bad JSON, missing Idempotency-Key, bad cursor)',
  401: 'Missing or invalid token',
  403: 'No tenant or role not allowed',
  404: 'Not found (also for ids of other tenants)',
  409: 'Conflict (idempotency key reused or still in progress, not yet available, configuration missing)',
  413: 'Request body larger than 2 MiB',
  415: 'Request body not sent as application/json',
  422: 'Validation failed: every violation with its field path',
  429: 'A per-company limit is used up for now (Retry-After)',
};

/**
 * OpenAPI 3.1 from the same operation objects the handlers validate with. Generated on demand (cheap,
 * cached by the docs function) so there is no build step that can fall out of date.
 */
export function buildOpenApiDocument(
  operations: Operation[],
  info: { title: string; version: string; serverUrl?: string },
) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'cognito', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Cognito ID token; the tenant and roles come from its claims.',
  });

  for (const op of operations) {
    const responses: Record<
      string,
      { description: string; content?: Record<string, { schema: z.ZodType }> }
    > = {
      [String(op.successStatus)]: {
        description: 'Success',
        content: {
          'application/json': {
            schema: z.object({
              success: z.literal(true),
              data: op.response ?? z.unknown(),
              message: z.string().optional(),
            }),
          },
        },
      },
    };
    for (const status of op.errors ?? []) {
      responses[String(status)] =
        status === 302
          ? { description: STATUS_TEXT[status] ?? 'Redirect' }
          : {
              description: STATUS_TEXT[status] ?? 'Error',
              content: { 'application/json': { schema: errorEnvelope } },
            };
    }
    responses['500'] = {
      description: 'Internal error (opaque; quote the requestId)',
      content: { 'application/json': { schema: errorEnvelope } },
    };

    registry.registerPath({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      summary: op.summary,
      description: op.description,
      tags: op.tags,
      security: op.permission ? [{ [bearer.name]: [] }] : [],
      request: {
        params: op.params as never,
        query: op.query as never,
        headers: op.idempotent
          ? (z.object({ 'Idempotency-Key': z.string().min(1).max(255) }) as never)
          : undefined,
        body: op.body ? { required: true, content: { 'application/json': { schema: op.body } } } : undefined,
      },
      responses,
    });
  }

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Electronic invoicing for Panama (DGI rFE v1.00) through The Factory HKA. Every response uses the envelope `{ success, data | error, code, details, requestId, timestamp }`.',
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
  });
}
