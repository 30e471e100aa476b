import { describe, expect, it } from 'vitest';
import { handler as getApiDocs } from '#functions/api/docs/get-api-docs';
import { handler as getOpenApi } from '#functions/api/docs/get-openapi';
import { apiOperations } from '#shared/documents/openapi';

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document with every operation', async () => {
    const res = await getOpenApi();
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    const operationIds = Object.values(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operationIds.sort()).toEqual(apiOperations.map((op) => op.operationId).sort());
    const issue = doc.paths['/v1/documents'].post;
    expect(issue.requestBody.content['application/json'].schema).toBeDefined();
    expect(issue.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key')).toBe(true);
    expect(issue.responses['422']).toBeDefined();
  });

  it('documents the 422 details with the rule code, severity and hint of a finding', async () => {
    // Act
    const doc = JSON.parse((await getOpenApi()).body);

    // Assess
    const envelope = doc.paths['/v1/documents'].post.responses['422'].content['application/json'].schema;
    const detail = envelope.properties.details.items;
    expect(detail.required).toEqual(['path', 'message']);
    expect(Object.keys(detail.properties)).toEqual(['path', 'message', 'code', 'severity', 'hint']);
    expect(detail.properties.severity.enum).toEqual(['error', 'warning']);
  });

  it('serves a script-free HTML page listing the operations', async () => {
    const res = await getApiDocs();
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('/v1/documents/{id}/xml');
    expect(res.body).toContain('openapi.json');
  });
});
