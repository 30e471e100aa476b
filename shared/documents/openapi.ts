import { alertOperations } from '#shared/alerts/api';
import { auditOperations } from '#shared/audit/api';
import { batchOperations } from '#shared/batches/api';
import { customerOperations, productOperations } from '#shared/catalogue/api';
import { exportOperations } from '#shared/exports/api';
import { healthOperations } from '#shared/http/health-operations';
import { buildOpenApiDocument } from '#shared/http/openapi';
import type { Operation } from '#shared/http/operation';
import { reportOperations } from '#shared/reports/api';
import { platformOperations, profileOperations, tenantOperations, userOperations } from '#shared/tenancy/api';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';
import { webhookOperations } from '#shared/webhooks/api';
import { documentActionOperations, documentOperations, folioOperations } from './api.ts';

/** Every operation of the public API, in the order the docs list them. */
export const apiOperations: Operation[] = [
  ...Object.values(documentOperations),
  ...Object.values(documentActionOperations),
  ...Object.values(batchOperations),
  ...Object.values(folioOperations),
  ...Object.values(customerOperations),
  ...Object.values(productOperations),
  ...Object.values(tenantOperations),
  ...Object.values(auditOperations),
  ...Object.values(profileOperations),
  ...Object.values(userOperations),
  ...Object.values(platformOperations),
  ...Object.values(apiKeyOperations),
  ...Object.values(reportOperations),
  ...Object.values(exportOperations),
  ...Object.values(healthOperations),
  ...Object.values(alertOperations),
  ...Object.values(webhookOperations),
] as Operation[];

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

export function openApiDocument() {
  // The server is given relative to the document (`<stage>/docs/openapi.json` → `<stage>/`), so "Try it
  // out" in the viewer and generated clients call the stage that served it, on AWS and locally alike.
  cached ??= buildOpenApiDocument(apiOperations, { title: 'factu API', version: '1.0.0', serverUrl: '..' });
  return cached;
}
