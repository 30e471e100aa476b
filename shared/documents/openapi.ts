import { buildOpenApiDocument } from '#shared/http/openapi';
import type { Operation } from '#shared/http/operation';
import { tenantOperations } from '#shared/tenancy/api';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';
import { documentActionOperations, documentOperations, folioOperations } from './api.ts';

/** Every operation of the public API, in the order the docs list them. */
export const apiOperations: Operation[] = [
  ...Object.values(documentOperations),
  ...Object.values(documentActionOperations),
  ...Object.values(folioOperations),
  ...Object.values(tenantOperations),
  ...Object.values(apiKeyOperations),
] as Operation[];

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

export function openApiDocument() {
  cached ??= buildOpenApiDocument(apiOperations, { title: 'factu API', version: '1.0.0' });
  return cached;
}
