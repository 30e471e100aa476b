import * as z from 'zod';
import { BATCH_ROW_STATUSES, BATCH_STATUSES } from '#shared/data/batches';
import { DOCUMENT_STATUSES } from '#shared/data/documents';
import { ID_PATTERN } from '#shared/data/ids';
import { defineOperation } from '#shared/http/operation';
import invoiceTaxpayer from '../../examples/documents/invoice-taxpayer.json' with { type: 'json' };
import { MAX_BATCH_DOCUMENTS, MAX_BATCH_UPLOAD_BYTES, REFERENCE_PATTERN } from './entries.ts';

/** The bulk-issuing API, described once (handlers validate with it; OpenAPI is generated from it). */

const batchId = z.string().min(1).max(64).describe('Batch id (ULID)');
const idParams = z.object({ id: batchId });

const batchDocumentSchema = z
  .looseObject({
    reference: z
      .string()
      .regex(
        REFERENCE_PATTERN,
        'must be 1..64 letters, digits or . _ : / - (starting with a letter or digit)',
      )
      .optional()
      .describe('Your name for the document, unique in the batch (default: its position, 1-based)'),
  })
  .describe('An issuing body, as POST /v1/documents takes it, with an optional `reference`');

export const createBatchBody = z
  .strictObject({
    documents: z
      .array(batchDocumentSchema)
      .min(1)
      .max(MAX_BATCH_DOCUMENTS)
      .optional()
      .describe(`Up to ${MAX_BATCH_DOCUMENTS.toLocaleString('en')} documents (the body stays within 2 MiB)`),
    uploadId: z
      .string()
      .regex(ID_PATTERN, 'must be the uploadId of POST /v1/batch-uploads')
      .optional()
      .describe('A CSV uploaded through POST /v1/batch-uploads'),
  })
  .superRefine((body, ctx) => {
    if ((body.documents === undefined) === (body.uploadId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['documents'], message: 'give either documents or uploadId' });
    }
  });

const rowErrorSchema = z.object({
  row: z.int().describe('The row: its position in `documents` (1-based), or the CSV line'),
  path: z.string().describe('The field, as in a POST /v1/documents 422 (`items[0].quantity`)'),
  message: z.string(),
  code: z.string(),
  column: z.string().optional().describe('CSV: the column the field is read from'),
});

export const batchResourceSchema = z.object({
  id: z.string(),
  status: z.enum(BATCH_STATUSES),
  source: z.enum(['json', 'csv']),
  total: z.int().describe('Documents in the batch'),
  counts: z.object({
    valid: z.int().describe('Rows the pre-flight accepted (0 while VALIDATING)'),
    invalid: z.int().describe('Rows the pre-flight refused: never issued'),
    pending: z.int().describe('Rows not ended yet (being validated, or valid and waiting)'),
    issued: z.int().describe('Rows whose document was created (its status: GET …/rows)'),
    failed: z.int().describe('Valid rows refused when issuing (folios, configuration)'),
    skipped: z.int().describe('Rows not started before the batch was cancelled'),
  }),
  progress: z.number().min(0).max(1).describe('Rows ended / total'),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BatchResource = z.output<typeof batchResourceSchema>;

export const batchRowResourceSchema = z.object({
  row: z.int(),
  reference: z.string(),
  status: z.enum(BATCH_ROW_STATUSES),
  documentId: z.string().nullable(),
  number: z.string().nullable(),
  documentStatus: z.enum(DOCUMENT_STATUSES).nullable().describe("The document's current status"),
  errors: z.array(rowErrorSchema),
});
export type BatchRowResource = z.output<typeof batchRowResourceSchema>;

export const listBatchRowsQuery = z.object({
  status: z.enum(BATCH_ROW_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const listBatchesQuery = z.object({
  status: z.enum(BATCH_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

const exampleBatchId = '01KBX7Q2M4T8V1C6N3R9W5Y0ZB';
const exampleBatch = (status: (typeof BATCH_STATUSES)[number]): BatchResource => ({
  id: exampleBatchId,
  status,
  source: 'json',
  total: 1,
  counts: {
    valid: status === 'VALIDATING' ? 0 : 1,
    invalid: 0,
    pending: status === 'DONE' ? 0 : 1,
    issued: status === 'DONE' ? 1 : 0,
    failed: 0,
    skipped: 0,
  },
  progress: status === 'DONE' ? 1 : 0,
  createdBy: 'user:6c1e5b2a-90f1-4a5e-b7a4-2f0d8c3e9a11',
  createdAt: '2026-12-06T15:20:04.118Z',
  updatedAt: '2026-12-06T15:20:09.530Z',
  finishedAt: status === 'DONE' ? '2026-12-06T15:20:09.530Z' : null,
});

export const batchOperations = {
  createBatch: defineOperation({
    operationId: 'createBatch',
    method: 'post',
    path: '/v1/batches',
    summary: 'Issue many documents at once (JSON, or an uploaded CSV)',
    description:
      'Answers 202 at once; every row is then pre-flighted as POST /v1/documents would (invalid rows are ' +
      'reported with their row and field path, and never issued) and the valid ones are issued through the ' +
      'same service, within the folio quotas and at a bounded rate. Each row is issued once: the same ' +
      'Idempotency-Key answers the same batch, and a row retried inside the batch returns its document. ' +
      'Follow it with GET /v1/batches/{id} and GET /v1/batches/{id}/rows.',
    tags: ['batches'],
    permission: 'documents:issue',
    body: createBatchBody,
    idempotent: true,
    successStatus: 202,
    response: batchResourceSchema,
    errors: [400, 401, 403, 404, 409, 413, 415, 422],
    example: {
      body: { documents: [{ reference: 'FAC-2026-0001', ...invoiceTaxpayer }] },
      response: exampleBatch('VALIDATING'),
    },
  }),
  createBatchUpload: defineOperation({
    operationId: 'createBatchUpload',
    method: 'post',
    path: '/v1/batch-uploads',
    summary: 'Get a URL to upload a batch CSV to',
    description:
      `PUT the CSV (the template of \`factu batch template\`, ≤ ${MAX_BATCH_UPLOAD_BYTES / 1024 / 1024} MiB) to \`url\` with ` +
      'exactly the `contentType` given, before `expiresAt`; then POST /v1/batches {uploadId}. Uploads are ' +
      'deleted after 7 days.',
    tags: ['batches'],
    permission: 'documents:issue',
    successStatus: 201,
    response: z.object({
      uploadId: z.string(),
      url: z.string(),
      expiresAt: z.string(),
      contentType: z.string(),
    }),
    errors: [401, 403],
    example: {
      response: {
        uploadId: '01KBX7P9D3F6H2K8M5Q1S4V7XA',
        url: 'https://factu-work-files.s3.us-east-1.amazonaws.com/tenants/cafe-del-istmo/batch-uploads/01KBX7P9D3F6H2K8M5Q1S4V7XA?X-Amz-Algorithm=AWS4-HMAC-SHA256&…',
        expiresAt: '2026-12-06T15:35:04.118Z',
        contentType: 'text/csv',
      },
    },
  }),
  getBatch: defineOperation({
    operationId: 'getBatch',
    method: 'get',
    path: '/v1/batches/{id}',
    summary: 'A batch: its status, row counts and progress',
    tags: ['batches'],
    permission: 'documents:read',
    params: idParams,
    successStatus: 200,
    response: batchResourceSchema,
    errors: [401, 403, 404],
    example: { params: { id: exampleBatchId }, response: exampleBatch('DONE') },
  }),
  listBatches: defineOperation({
    operationId: 'listBatches',
    method: 'get',
    path: '/v1/batches',
    summary: "The tenant's batches, newest first",
    description: 'Optionally of one status; pass `nextCursor` as `cursor` for the next page.',
    tags: ['batches'],
    permission: 'documents:read',
    query: listBatchesQuery,
    successStatus: 200,
    response: z.object({ items: z.array(batchResourceSchema), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 422],
    example: { query: { limit: 20 }, response: { items: [exampleBatch('DONE')], nextCursor: null } },
  }),
  listBatchRows: defineOperation({
    operationId: 'listBatchRows',
    method: 'get',
    path: '/v1/batches/{id}/rows',
    summary: "A batch's rows: each one's document, number and current status, or its errors",
    description: 'In row order; pass `nextCursor` as `cursor` for the next page.',
    tags: ['batches'],
    permission: 'documents:read',
    params: idParams,
    query: listBatchRowsQuery,
    successStatus: 200,
    response: z.object({ items: z.array(batchRowResourceSchema), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 404, 422],
    example: {
      params: { id: exampleBatchId },
      query: { limit: 50 },
      response: {
        items: [
          {
            row: 1,
            reference: 'FAC-2026-0001',
            status: 'ISSUED',
            documentId: '01KBX7Q3A8C2E5G9J1L4N7P0RT',
            number: '0000000412',
            documentStatus: 'AUTHORIZED',
            errors: [],
          },
        ],
        nextCursor: null,
      },
    },
  }),
  cancelBatch: defineOperation({
    operationId: 'cancelBatch',
    method: 'post',
    path: '/v1/batches/{id}/cancel',
    summary: 'Cancel a batch: rows not yet started are skipped',
    description:
      'Documents already created are not affected (cancel those one by one with POST /v1/documents/{id}/cancel). ' +
      'Cancelling a cancelled batch answers it again; a finished batch is a 409.',
    tags: ['batches'],
    permission: 'documents:issue',
    params: idParams,
    idempotent: true,
    successStatus: 200,
    response: batchResourceSchema,
    errors: [400, 401, 403, 404, 409],
    example: { params: { id: exampleBatchId }, response: { ...exampleBatch('CANCELLED'), finishedAt: null } },
  }),
};
