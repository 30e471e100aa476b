import { defineOperation } from './operation.ts';

/** The public documentation routes (no permission: anyone may read how to call the API). */
export const docsOperations = {
  getApiDocs: defineOperation({
    operationId: 'getApiDocs',
    method: 'get',
    path: '/docs',
    summary: 'API reference (HTML)',
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
};
