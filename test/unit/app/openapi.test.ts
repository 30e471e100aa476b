import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { handler as getOpenApi } from '#functions/api/docs/get-openapi';
import { apiRoutes, isPublic } from '#infra/routes';
import { apiOperations } from '#shared/documents/openapi';
import { DOMAIN_ERROR_CODES, GATEWAY_ERROR_CODES } from '#shared/http/error-codes';
import type { Operation } from '#shared/http/operation';
import { PERMISSIONS } from '#shared/tenancy/context';

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk the generated JSON document
type Json = any;

const served = async (): Promise<Json> => JSON.parse((await getOpenApi()).body);

// Every API route is documented, the public health check too; the documentation's own routes are not.
const routed: Operation[] = apiRoutes
  .filter((route) => !isPublic(route) || route.operation.path.startsWith('/v1/'))
  .map((route) => route.operation);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // Act
    const result = await new Validator().validate(await served());

    // Assess
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the deployed API routes (not the documentation’s own)', async () => {
    // Act
    const doc = await served();

    // Assess
    const documented = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(routed.map((op) => `${op.method} ${op.path}`).sort());
    expect(apiOperations.map((op) => op.operationId).sort()).toEqual(
      routed.map((op) => op.operationId).sort(),
    );
  });

  it('accepts an ID token or an API key on every non-public operation, says which roles may call it, and marks the public ones', async () => {
    // Act
    const doc = await served();

    // Assess
    expect(doc.components.securitySchemes.cognitoIdToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKey.description).toMatch(/fk_test_….*fk_live_…/);
    for (const op of routed) {
      const documented = doc.paths[op.path][op.method];
      if (!op.permission) {
        expect(documented.security, op.operationId).toEqual([]);
        expect(documented.description, op.operationId).toContain('Public: no token needed.');
        continue;
      }
      expect(documented.security, op.operationId).toEqual([{ cognitoIdToken: [] }, { apiKey: [] }]);
      const roles = PERMISSIONS[op.permission!].join(', ');
      expect(documented.description, op.operationId).toContain(`roles ${roles}`);
    }
  });

  it('declares request and response schemas for every route, and the Idempotency-Key where required', async () => {
    // Act
    const doc = await served();

    // Assess
    for (const op of routed) {
      const documented = doc.paths[op.path][op.method];
      expect(op.response, `${op.operationId} has a response schema`).toBeDefined();
      const success = documented.responses[String(op.successStatus)].content['application/json'].schema;
      expect(success.properties.data, op.operationId).not.toEqual({});
      if (op.body) expect(documented.requestBody.content['application/json'].schema).toBeDefined();
      const headers = (documented.parameters ?? []).filter((p: Json) => p.in === 'header');
      expect(
        headers.some((p: Json) => p.name === 'Idempotency-Key'),
        op.operationId,
      ).toBe(op.idempotent === true);
    }
  });
});

describe('examples', () => {
  it.each(routed.map((op) => [op.operationId, op] as const))(
    '%s has an example that its own schemas accept',
    (_id, op) => {
      // Prepare
      const example = op.example;

      // Assess
      expect(example, 'declared next to the operation').toBeDefined();
      if (!example) return;
      expect(op.response!.safeParse(example.response).error).toBeUndefined();
      if (op.body) expect(op.body.safeParse(example.body).error).toBeUndefined();
      else expect(example.body).toBeUndefined();
      if (op.params) expect(op.params.safeParse(example.params).error).toBeUndefined();
      else expect(example.params).toBeUndefined();
      if (op.query) expect(op.query.safeParse(example.query ?? {}).error).toBeUndefined();
      else expect(example.query).toBeUndefined();
    },
  );

  it('shows each example in the document: body, success envelope and parameters', async () => {
    // Act
    const doc = await served();

    // Assess
    for (const op of routed) {
      const documented = doc.paths[op.path][op.method];
      const success = documented.responses[String(op.successStatus)].content['application/json'];
      expect(success.example, op.operationId).toEqual({ success: true, data: op.example?.response });
      if (op.example?.body !== undefined) {
        expect(documented.requestBody.content['application/json'].example).toEqual(op.example.body);
      }
      for (const [name, value] of Object.entries((op.example?.params ?? {}) as object)) {
        const parameter = documented.parameters.find((p: Json) => p.in === 'path' && p.name === name);
        expect(parameter?.example, `${op.operationId} ${name}`).toEqual(value);
      }
    }
  });
});

describe('the error envelope', () => {
  it('is one component listing every declared code; error responses refer to it', async () => {
    // Act
    const doc = await served();

    // Assess
    const envelope = doc.components.schemas.ErrorEnvelope;
    const codes = [...Object.keys(DOMAIN_ERROR_CODES), ...Object.keys(GATEWAY_ERROR_CODES)];
    for (const code of codes) expect(envelope.description).toContain(`\`${code}\``);
    const issue = doc.paths['/v1/documents'].post.responses;
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '500']) {
      expect(issue[status].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ErrorEnvelope',
      });
    }
    expect(issue['422'].description).toContain('`DOCUMENT_INVALID`');
    expect(issue['403'].description).toContain('`ROLE_NOT_ALLOWED`');
  });

  it('documents the 422 details with the rule code, severity and hint of a finding', async () => {
    // Act
    const doc = await served();

    // Assess
    const detail = doc.components.schemas.ErrorEnvelope.properties.details.items;
    expect(detail.required).toEqual(['path', 'message']);
    expect(Object.keys(detail.properties)).toEqual(['path', 'message', 'code', 'severity', 'hint']);
    expect(detail.properties.severity.enum).toEqual(['error', 'warning']);
  });
});
