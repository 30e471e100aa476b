import * as z from 'zod';
import { dateFilter } from '#shared/documents/api';
import { defineOperation } from '#shared/http/operation';

/** Files an export can hold per document: the authorized rFE and its CAFE. */
export const EXPORT_KINDS = ['xml', 'pdf'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Statuses of documents that have archived files (a cancelled document was authorized first). */
export const EXPORTABLE_STATUSES = ['AUTHORIZED', 'CANCELLED'] as const;
export type ExportableStatus = (typeof EXPORTABLE_STATUSES)[number];

export const EXPORT_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The most documents one export may hold: its worker must finish within one Lambda run (15 min). */
export const MAX_EXPORT_DOCUMENTS = 10_000;

/**
 * Runs a job gets (one per delivery of its message) before it is FAILED: a run that dies (timeout, crash) is
 * redone from scratch by SQS's redelivery; the queue's maxReceiveCount is one more, so the last delivery can
 * still record the failure.
 */
export const MAX_EXPORT_RUNS = 3;

export const createExportBody = z.object({
  from: dateFilter.describe('Emission date (Panama) or date-time from, inclusive'),
  to: dateFilter.describe('Emission date (Panama) or date-time to, inclusive'),
  kinds: z
    .array(z.enum(EXPORT_KINDS))
    .min(1)
    .max(EXPORT_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, { message: 'must not repeat a kind' })
    .describe('xml → the authorized rFE, pdf → the CAFE'),
  status: z
    .enum(EXPORTABLE_STATUSES)
    .optional()
    .describe('Only documents in this status; absent → AUTHORIZED and CANCELLED (every document with files)'),
});
export type CreateExportInput = z.output<typeof createExportBody>;

export const exportResource = z.object({
  id: z.string(),
  status: z.enum(EXPORT_STATUSES).describe('QUEUED → RUNNING → DONE | FAILED'),
  from: z.string(),
  to: z.string(),
  kinds: z.array(z.enum(EXPORT_KINDS)),
  documentStatus: z.enum(EXPORTABLE_STATUSES).nullable().describe('The `status` filter of the request'),
  progress: z.object({
    total: z.number().int().describe('Documents of the period the export holds (counted when it starts)'),
    done: z.number().int().describe('Documents written so far (updated every 100)'),
  }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  file: z
    .object({
      documents: z.number().int(),
      entries: z.number().int().describe('Files in the ZIP'),
      bytes: z.number().int(),
      expiresAt: z.string().describe('The ZIP is deleted after this (7 days after it was made)'),
    })
    .nullable()
    .describe('When DONE: the ZIP, one folder per month (`YYYY-MM/`, Panama time)'),
  download: z
    .object({ url: z.string(), expiresAt: z.string() })
    .nullable()
    .describe('When DONE: a short-lived presigned GET of the ZIP'),
});
export type ExportResource = z.output<typeof exportResource>;

const exampleExport: ExportResource = {
  id: '01KBX9M3Q7R2T5V8W1Y4Z6A0BC',
  status: 'QUEUED',
  from: '2026-11-01',
  to: '2026-11-30',
  kinds: ['xml', 'pdf'],
  documentStatus: null,
  progress: { total: 412, done: 0 },
  createdAt: '2026-12-06T15:20:04.118Z',
  startedAt: null,
  finishedAt: null,
  failure: null,
  file: null,
  download: null,
};

export const exportOperations = {
  createExport: defineOperation({
    operationId: 'createExport',
    method: 'post',
    path: '/v1/exports',
    summary: 'Export the XML and/or PDF of a period as a ZIP (asynchronous)',
    description:
      'Counts the documents of the period (at most 10,000, else 422 EXPORT_TOO_LARGE) and queues the job; ' +
      'poll `GET /v1/exports/{id}` for its progress and, once DONE, the download URL.',
    tags: ['exports'],
    permission: 'reports:read',
    body: createExportBody,
    idempotent: true,
    successStatus: 202,
    response: exportResource,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: {
      body: { from: '2026-11-01', to: '2026-11-30', kinds: ['xml', 'pdf'] },
      response: exampleExport,
    },
  }),
  getExport: defineOperation({
    operationId: 'getExport',
    method: 'get',
    path: '/v1/exports/{id}',
    summary: 'An export job: progress, and when DONE a download URL of its ZIP',
    tags: ['exports'],
    permission: 'reports:read',
    params: z.object({ id: z.string().min(1).max(64) }),
    successStatus: 200,
    response: exportResource,
    errors: [401, 403, 404],
    example: {
      params: { id: exampleExport.id },
      response: {
        ...exampleExport,
        status: 'DONE',
        progress: { total: 412, done: 412 },
        startedAt: '2026-12-06T15:20:05.020Z',
        finishedAt: '2026-12-06T15:20:41.377Z',
        file: { documents: 412, entries: 824, bytes: 18_734_112, expiresAt: '2026-12-13T15:20:41.377Z' },
        download: {
          url: 'https://factu-work-files.s3.amazonaws.com/tenants/cafe-del-istmo/exports/01KBX9M3Q7R2T5V8W1Y4Z6A0BC.zip?X-Amz-Signature=…',
          expiresAt: '2026-12-06T15:26:02.000Z',
        },
      },
    },
  }),
};
