import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { PERMISSIONS } from '#shared/tenancy/context';
import { errorCatalogue } from './error-codes.ts';
import { STATUS_BY_KIND } from './errors.ts';
import type { Operation } from './operation.ts';

/** Names of the security schemes; either one authenticates any non-public operation. */
export const SECURITY_SCHEMES = { cognitoIdToken: 'cognitoIdToken', apiKey: 'apiKey' } as const;

/** The envelope codes by status, from the one catalogue (shared/http/error-codes.ts). */
export const ERROR_CATALOGUE = errorCatalogue((kind) => STATUS_BY_KIND[kind]);

const catalogueTable = [
  '| status | code | meaning |',
  '|---|---|---|',
  ...ERROR_CATALOGUE.map((entry) => `| ${entry.status} | \`${entry.code}\` | ${entry.description} |`),
].join('\n');

const errorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.string().describe('What went wrong, safe to show'),
    code: z
      .string()
      .describe(
        "Stable code: one of the catalogue below (API Gateway's other 4xx answers carry their response type's name)",
      ),
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
  })
  // `id`: the generator emits it once under components/schemas and refers to it from every error response.
  .meta({
    id: 'ErrorEnvelope',
    description: `Every error answer, from a function or from API Gateway.\n\n${catalogueTable}`,
  });

const STATUS_TEXT: Record<number, string> = {
  302: 'Redirect to the presigned URL',
  400: 'Malformed request (bad JSON, missing Idempotency-Key, bad cursor)',
  401: 'Missing or invalid token or API key',
  403: 'No tenant, or a role the operation does not allow',
  404: 'Not found (also for ids of other tenants)',
  409: 'Conflict (idempotency key reused or still in progress, not yet available, configuration missing)',
  413: 'Request body larger than 2 MiB',
  415: 'Request body not sent as application/json',
  422: 'Validation failed: every violation with its field path',
  429: 'A per-company limit is used up for now (Retry-After)',
  500: 'Internal error (opaque; quote the requestId)',
  503: 'HKA did not answer; try again later (Retry-After)',
};

/** The description of an error response: what the status means and the codes it carries. */
function errorDescription(status: number): string {
  const codes = ERROR_CATALOGUE.filter((entry) => entry.status === status).map(
    (entry) => `\`${entry.code}\``,
  );
  const text = STATUS_TEXT[status] ?? 'Error';
  return codes.length > 0 ? `${text}. Codes: ${codes.join(', ')}.` : text;
}

/** Who may call it, in words: the permission and the roles that hold it. */
function permissionNote(op: Operation): string {
  if (!op.permission) return 'Public: no token needed.';
  return `Permission \`${op.permission}\`: roles ${PERMISSIONS[op.permission].join(', ')}.`;
}

/**
 * OpenAPI 3.1 from the same operation objects the handlers validate with. Generated on demand (cheap,
 * cached by the docs function) so there is no build step that can fall out of date.
 */
export function buildOpenApiDocument(
  operations: Operation[],
  info: { title: string; version: string; serverUrl?: string },
) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', SECURITY_SCHEMES.cognitoIdToken, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The Cognito ID token of a person signed in through the hosted login (`npx factu login`), as `Authorization: Bearer <token>`; the tenant and roles come from its claims. Lasts 60 minutes.',
  });
  registry.registerComponent('securitySchemes', SECURITY_SCHEMES.apiKey, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'fk_test_… / fk_live_…',
    description:
      'An API key of the company (`/v1/api-keys`) for systems, as `Authorization: Bearer fk_test_…` (HKA demo environment) or `fk_live_…`; it carries the tenant and the roles it was created with.',
  });
  const errorContent = { 'application/json': { schema: errorEnvelope } };

  for (const op of operations) {
    const example = op.example;
    const responses: Record<
      string,
      { description: string; content?: Record<string, { schema: z.ZodType; example?: unknown }> }
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
            ...(example ? { example: { success: true, data: example.response } } : {}),
          },
        },
      },
    };
    for (const status of [...(op.errors ?? []), 500]) {
      responses[String(status)] =
        status === 302
          ? { description: STATUS_TEXT[status] ?? 'Redirect' }
          : { description: errorDescription(status), content: errorContent };
    }

    registry.registerPath({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      summary: op.summary,
      description: [op.description, permissionNote(op)].filter(Boolean).join('\n\n'),
      tags: op.tags,
      security: op.permission
        ? [{ [SECURITY_SCHEMES.cognitoIdToken]: [] }, { [SECURITY_SCHEMES.apiKey]: [] }]
        : [],
      'x-permission': op.permission,
      request: {
        params: op.params as never,
        query: op.query as never,
        headers: op.idempotent
          ? (z.object({ 'Idempotency-Key': z.string().min(1).max(255) }) as never)
          : undefined,
        body: op.body
          ? {
              required: true,
              content: {
                'application/json': {
                  schema: op.body,
                  ...(example?.body !== undefined ? { example: example.body } : {}),
                },
              },
            }
          : undefined,
      },
      responses,
    });
  }

  const generator = new OpenApiGeneratorV31(registry.definitions);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: [
        'Electronic invoicing for Panama (DGI rFE v1.00) through The Factory HKA.',
        'Every response uses the envelope `{ success, data | error, code, details, requestId, timestamp }` (`ErrorEnvelope` lists every error code).',
        'Authenticate with the ID token of a signed-in person (`cognitoIdToken`) or an API key (`apiKey`); every operation but the documentation accepts either.',
      ].join('\n\n'),
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
  });
  addParameterExamples(document, operations);
  return document;
}

type ParameterObject = { name: string; in: string; example?: unknown };

/** Path and query examples go on the parameters (the generator takes them from schemas only). */
function addParameterExamples(document: { paths?: object }, operations: Operation[]): void {
  for (const op of operations) {
    const values: Record<string, Record<string, unknown> | undefined> = {
      path: op.example?.params as Record<string, unknown> | undefined,
      query: op.example?.query as Record<string, unknown> | undefined,
    };
    const paths = document.paths as Record<string, Record<string, { parameters?: unknown[] }> | undefined>;
    const parameters = paths?.[op.path]?.[op.method]?.parameters ?? [];
    for (const parameter of parameters as ParameterObject[]) {
      const value = values[parameter.in]?.[parameter.name];
      if (value !== undefined) parameter.example = value;
    }
  }
}
