import { openApiDocument } from '#shared/documents/openapi';

/** GET /docs/openapi.json — public; the OpenAPI 3.1 document generated from the zod schemas. */
export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  body: JSON.stringify(openApiDocument()),
});
