import * as z from 'zod';
import { VIEWER_ASSET_NAMES } from './docs-viewer.ts';
import { defineOperation } from './operation.ts';

/** The public documentation routes (no permission: anyone may read how to call the API). */
export const docsOperations = {
  getApiDocs: defineOperation({
    operationId: 'getApiDocs',
    method: 'get',
    path: '/docs',
    summary: 'API reference (Swagger UI)',
    tags: ['docs'],
    successStatus: 200,
  }),
  getOpenApi: defineOperation({
    operationId: 'getOpenApi',
    method: 'get',
    path: '/docs/openapi.json',
    summary: 'OpenAPI 3.1 document',
    tags: ['docs'],
    successStatus: 200,
  }),
  getDocsAsset: defineOperation({
    operationId: 'getDocsAsset',
    method: 'get',
    path: '/docs/assets/{file}',
    summary: 'Scripts and styles of the API reference page',
    tags: ['docs'],
    params: z.object({ file: z.enum(VIEWER_ASSET_NAMES) }),
    successStatus: 200,
  }),
};
