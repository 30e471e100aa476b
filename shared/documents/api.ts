import * as z from 'zod';
import { exampleFolioForecast, folioForecastSchema } from '#shared/alerts/api';
import { documentRequestSchema } from '#shared/catalogue/api';
import { DOCUMENT_STATUSES } from '#shared/data/documents';
import { searchKey } from '#shared/data/search-key';
import { mailboxSchema } from '#shared/fiscal/email';
import { type documentInputSchema, documentTypeCodes, itemSchema } from '#shared/fiscal/model';
import { isCalendarDate, parseDateTime } from '#shared/fiscal/panama-time';
import { xmlSafeText } from '#shared/fiscal/text';
import { defineOperation } from '#shared/http/operation';
import invoiceTaxpayer from '../../examples/documents/invoice-taxpayer.json' with { type: 'json' };
import {
  MAX_OTHER_RECIPIENTS,
  MAX_RESEND_RECIPIENTS,
  RESENDS_PER_DOCUMENT_PER_HOUR,
  RESENDS_PER_TENANT_PER_HOUR,
} from './resend-policy.ts';

/**
 * The documents API, described once. The handler factory validates with these schemas and
 * OpenAPI is generated from them.
 */

const documentId = z.string().min(1).max(64).describe('Document id (ULID)');
const idParams = z.object({ id: documentId });

const reasonSchema = z
  .object({
    path: z
      .string()
      .describe(
        "Field in the document model (e.g. items[3].isc.amount); '' when the reason is about the whole document",
      ),
    message: z.string().describe('HKA/DGI text verbatim (es), or our own reason'),
    code: z
      .string()
      .optional()
      .describe(
        'Stable code: for an HKA/DGI rejection the explainer catalogue code (e.g. FIELD_REQUIRED, NUMBER_TAKEN_BY_OTHER_DOCUMENT; UNEXPLAINED when not catalogued)',
      ),
    hkaCode: z
      .string()
      .optional()
      .describe("HKA's codigo (e.g. 201, 102) or the DGI result code (e.g. 1602)"),
    hkaField: z.string().optional().describe("HKA's element the answer names (e.g. valorISC)"),
    hint: z
      .object({ es: z.string(), en: z.string() })
      .optional()
      .describe('How to fix it, in Spanish and English'),
  })
  .describe('Why the document is in its state; rejections by HKA/DGI are explained');

const findingSchema = z.object({
  path: z.string().describe('Field path in the document body (`items[0].quantity`)'),
  message: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  hint: z.string().optional().describe('How to fix it, when known'),
});

const totalsSchema = z.object({
  net: z.string(),
  itbms: z.string(),
  isc: z.string().optional(),
  taxes: z.string(),
  discount: z.string().optional(),
  freight: z.string().optional(),
  insurance: z.string().optional(),
  total: z.string(),
  received: z.string(),
  change: z.string().optional(),
  itemCount: z.number(),
});

export const documentResourceSchema = z.object({
  id: z.string(),
  type: z.enum(Object.keys(documentTypeCodes) as [string, ...string[]]),
  status: z.enum(DOCUMENT_STATUSES),
  branch: z.string(),
  pointOfSale: z.string(),
  number: z.string().describe('10-digit document number, allocated per branch and point of sale'),
  issuedAt: z.string(),
  receiver: z.object({
    type: z.string().optional(),
    ruc: z.string().optional(),
    name: z.string().optional(),
    emails: z.array(z.string()).optional(),
  }),
  customerId: z
    .string()
    .nullable()
    .describe(
      'The catalogue customer it was issued to (`receiver.customerId`); null when the receiver was given in full',
    ),
  totals: totalsSchema,
  cufe: z.string().nullable(),
  qr: z.string().nullable(),
  protocol: z.string().nullable(),
  authorizedAt: z.string().nullable(),
  waitingSince: z
    .string()
    .nullable()
    .describe(
      'WAITING_FOR_HKA / CONTINGENCY: when HKA first did not answer for it; it waits at most 72 hours',
    ),
  nextAttemptAt: z
    .string()
    .nullable()
    .describe('While waiting for HKA: when its next attempt is due (null while an attempt runs)'),
  lastError: z.string().nullable().describe('While waiting for HKA: why HKA did not answer the last attempt'),
  reasons: z.array(reasonSchema).optional(),
  warnings: z
    .array(findingSchema)
    .describe('What the pre-flight warned about at acceptance; warnings never block'),
  contingency: z
    .object({ startedAt: z.string(), deliveredAt: z.string().nullable() })
    .nullable()
    .describe(
      'Issued in contingency (tipoEmision 02) while HKA was unreachable: when the outage started, and when its contingency CAFE was delivered (GET …/pdf serves it until the authorized one exists)',
    ),
  links: z.object({ self: z.string(), events: z.string(), xml: z.string(), pdf: z.string() }),
});

/** `YYYY-MM-DD`, or a date-time with seconds and its offset; a real calendar date either way. */
export const DATE_FILTER_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))?$/;
const DATE_FILTER_FORM =
  'must be a date (2026-11-22) or a date-time with its offset (2026-11-22T10:30:00-05:00)';
export const dateFilter = z
  .string()
  .max(35, { error: DATE_FILTER_FORM, abort: true })
  .regex(DATE_FILTER_PATTERN, { error: DATE_FILTER_FORM, abort: true })
  .refine((value) => (value.length === 10 ? isCalendarDate(value) : parseDateTime(value) !== undefined), {
    message: 'is not a real date or time',
  });

/** A CUFE's shape (66 characters: `FE`, then upper-case letters, digits and `-`); its check digit is the DGI's business. */
const cufeSchema = z
  .string()
  .regex(/^FE[A-Z0-9-]{64}$/, { error: 'must be a CUFE: FE followed by 64 upper-case letters, digits or -' });

export const listDocumentsQuery = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional(),
  type: z.enum(Object.keys(documentTypeCodes) as [string, ...string[]]).optional(),
  from: dateFilter.optional().describe('Emission date from (inclusive)'),
  to: dateFilter.optional().describe('Emission date to (inclusive)'),
  branch: z
    .string()
    .regex(/^[a-zA-Z0-9]{4}$/)
    .optional(),
  pointOfSale: z
    .string()
    .regex(/^[0-9]{3}$/)
    .optional(),
  receiverRuc: xmlSafeText({ min: 1, max: 20 }).optional(),
  q: z
    .string()
    .max(200)
    .refine((value) => significantLength(searchKey(value)) >= 2, {
      message: 'must have at least 2 letters or digits',
    })
    .optional()
    .describe(
      'Receiver name starts with this (case, accents and punctuation ignored); results in name order, then oldest first. Documents issued before the name index existed are not found by name.',
    ),
  cufe: cufeSchema.optional().describe('Exactly this CUFE (the answer is one page: the document or nothing)'),
  number: z
    .string()
    .regex(/^[0-9]{1,10}$/, { error: 'must be 1 to 10 digits' })
    .transform((value) => value.padStart(10, '0'))
    .optional()
    .describe(
      'Document number (zero-padded to 10 digits) in the series of `branch` and `pointOfSale`, or in every series of the company when they are absent; the answer is one page with every match, newest first',
    ),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** Longest period one count covers: a year of a tenant's documents, counted from the status index. */
export const MAX_COUNT_DAYS = 366;

const countDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date (2026-11-22)', abort: true })
  .refine(isCalendarDate, { message: 'is not a real date' });

export const countDocumentsQuery = z.object({
  from: countDate.describe('First emission date counted (a Panama calendar day)'),
  to: countDate.describe(
    `Last emission date counted, inclusive; at most ${MAX_COUNT_DAYS} days from \`from\``,
  ),
  type: listDocumentsQuery.shape.type,
  branch: listDocumentsQuery.shape.branch,
  pointOfSale: listDocumentsQuery.shape.pointOfSale,
  receiverRuc: listDocumentsQuery.shape.receiverRuc,
});

const documentCount = z.number().int().min(0);

export const documentCountsSchema = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int().describe('Documents issued in the period, whatever their status'),
  byStatus: z
    .object(
      Object.fromEntries(DOCUMENT_STATUSES.map((status) => [status, documentCount])) as Record<
        (typeof DOCUMENT_STATUSES)[number],
        typeof documentCount
      >,
    )
    .describe('Documents issued in the period, by their current status (every status, 0 included)'),
});

/** Letters and digits of a folded search key (its spaces do not count). */
function significantLength(key: string): number {
  return key.replace(/ /g, '').length;
}

const downloadQuery = z.object({
  redirect: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('true → 302 to the presigned URL'),
});

const downloadResponse = z.object({ url: z.string(), expiresAt: z.string() });

const eventSchema = z.object({
  at: z.string(),
  type: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  message: z.string().optional(),
  reasons: z.array(reasonSchema).optional(),
  actor: z.string().optional(),
});

/**
 * The documents the examples show: `examples/documents/invoice-taxpayer.json` as issued and authorized
 * (its totals, an HKA CUFE and protocol).
 */
const exampleDocumentId = '01KBX7M3Q2Z8V4N6T0R5S9W1YC';
/** The example document's CUFE (type 01, the demo issuer, branch 0000, 2026-11-22, number 42, point of sale 001). */
const exampleCufe = 'FE0120000155596713-2-2015-5900002026112200000000420010121234567898';
const exampleIssuingBody = invoiceTaxpayer as z.input<typeof documentInputSchema>;
const exampleTotals = {
  net: '262.75',
  itbms: '18.39',
  taxes: '18.39',
  total: '281.14',
  received: '281.14',
  itemCount: 2,
} satisfies z.input<typeof totalsSchema>;
const exampleDocument = (status: (typeof DOCUMENT_STATUSES)[number]) => {
  const self = `/v1/documents/${exampleDocumentId}`;
  const authorized = status === 'AUTHORIZED' || status === 'CANCELLED';
  return {
    id: exampleDocumentId,
    type: 'invoice',
    status,
    branch: '0000',
    pointOfSale: '001',
    number: '0000000042',
    issuedAt: '2026-11-22T12:00:00-05:00',
    receiver: {
      type: 'taxpayer',
      ruc: '2588017-1-831938',
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
      emails: ['compras@ejemplo.com.pa'],
    },
    customerId: null,
    totals: exampleTotals,
    cufe: authorized ? exampleCufe : null,
    qr: authorized ? `https://dgi-fep.mef.gob.pa/Consultas/FacturasPorQR?chFE=${exampleCufe}&iAmb=2` : null,
    protocol: authorized ? '20261122120003421' : null,
    authorizedAt: authorized ? '2026-11-22T17:00:03.421Z' : null,
    waitingSince: null,
    nextAttemptAt: null,
    lastError: null,
    reasons: [],
    warnings: [],
    contingency: null,
    links: { self, events: `${self}/events`, xml: `${self}/xml`, pdf: `${self}/pdf` },
  } satisfies z.input<typeof documentResourceSchema>;
};
const exampleDownload = (file: string) => ({
  url: `https://factu-documents.s3.us-east-1.amazonaws.com/tenants/demo-cafe/documents/${exampleDocumentId}/${file}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=…`,
  expiresAt: '2026-11-22T17:05:00.000Z',
});

export const documentOperations = {
  issueDocument: defineOperation({
    operationId: 'issueDocument',
    method: 'post',
    path: '/v1/documents',
    summary: 'Issue a document',
    description:
      'Validates the document completely (422 lists every violation with its field path; warnings come back in `warnings[]` and never block unless the company promotes them), allocates its number and starts issuing. Requires an Idempotency-Key header: the same key and body within 24 h return the first response; the same key with another body answers 409.',
    tags: ['documents'],
    permission: 'documents:issue',
    body: documentRequestSchema,
    bodyValidation: 'service',
    idempotent: true,
    successStatus: 202,
    response: documentResourceSchema,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: exampleIssuingBody, response: exampleDocument('PROCESSING') },
  }),
  validateDocument: defineOperation({
    operationId: 'validateDocument',
    method: 'post',
    path: '/v1/documents/validate',
    summary: 'Pre-flight a document without issuing it',
    description:
      "The same body and the same checks as issuing (the company's defaults, channel and promoteWarnings), and nothing else: no number, no folio, no document, no Idempotency-Key. `valid` is false when there is any error; warnings never make it false. `totals` are the computed document's whenever the body passes the schema.",
    tags: ['documents'],
    permission: 'documents:issue',
    body: documentRequestSchema,
    bodyValidation: 'service',
    successStatus: 200,
    response: z.object({
      valid: z.boolean(),
      errors: z.array(findingSchema),
      warnings: z.array(findingSchema),
      totals: totalsSchema.nullable(),
    }),
    // 422 only when the body is not a JSON object at all; a document that breaks rules is a 200.
    errors: [400, 401, 403, 413, 415, 422],
    example: {
      body: exampleIssuingBody,
      response: { valid: true, errors: [], warnings: [], totals: exampleTotals },
    },
  }),
  previewDocument: defineOperation({
    operationId: 'previewDocument',
    method: 'post',
    path: '/v1/documents/preview',
    summary: 'Preview a document: its checks, totals and a draft CAFE',
    description:
      'The pre-flight of `POST /v1/documents/validate` plus a draft of the CAFE (PDF, in the company\'s layout or the document\'s `cafeLayout`) watermarked "BORRADOR — SIN VALIDEZ FISCAL" on every page, with no number, no CUFE and no QR. Nothing is issued: no number is allocated, no folio debited, nothing is sent to HKA. `pdf` is a presigned URL valid for at most 5 minutes (the draft itself is deleted after 7 days), or null when the body cannot be computed (it breaks the schema, or names a branch or point of sale the company does not have).',
    tags: ['documents'],
    permission: 'documents:issue',
    body: documentRequestSchema,
    bodyValidation: 'service',
    successStatus: 200,
    response: z.object({
      valid: z.boolean(),
      errors: z.array(findingSchema),
      warnings: z.array(findingSchema),
      totals: totalsSchema.nullable(),
      pdf: downloadResponse.nullable().describe('The draft CAFE; null when the body cannot be computed'),
    }),
    // 422 only when the body is not a JSON object at all; a document that breaks rules is a 200.
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: {
      body: exampleIssuingBody,
      response: {
        valid: true,
        errors: [],
        warnings: [],
        totals: exampleTotals,
        pdf: {
          url: 'https://factu-work-files.s3.us-east-1.amazonaws.com/tenants/demo-cafe/previews/01KBX7N0A5C3D1E9F7G2H4J6K8.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=…',
          expiresAt: '2026-11-22T17:05:00.000Z',
        },
      },
    },
  }),
  listDocuments: defineOperation({
    operationId: 'listDocuments',
    method: 'get',
    path: '/v1/documents',
    summary: 'List and search documents',
    description:
      'Newest first, filtered; pass `nextCursor` as `cursor` for the next page. Search: `q` (receiver name prefix, accent- and case-insensitive; name order), `cufe` (exact) or `number`; each combines with the other filters. `cufe` and `number` answer in one page (no cursor). An unknown query parameter is refused (400 UNKNOWN_QUERY_PARAMETER).',
    tags: ['documents'],
    permission: 'documents:read',
    query: listDocumentsQuery,
    successStatus: 200,
    response: z.object({ items: z.array(documentResourceSchema), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 422],
    example: {
      query: { q: 'distribuidora ejemplo', status: 'AUTHORIZED', from: '2026-11-01', limit: 25 },
      response: { items: [exampleDocument('AUTHORIZED')], nextCursor: null },
    },
  }),
  countDocuments: defineOperation({
    operationId: 'countDocuments',
    method: 'get',
    path: '/v1/documents/counts',
    summary: 'Count documents by status over a period',
    description: `How many documents were issued from \`from\` to \`to\` (Panama calendar days, at most ${MAX_COUNT_DAYS}), by their current status, narrowed by \`type\`, \`branch\`, \`pointOfSale\` and \`receiverRuc\`. Counted from the status index without reading the documents, so a busy month answers as fast as a quiet one; the index follows a status change within a second or so. An unknown query parameter is refused (400 UNKNOWN_QUERY_PARAMETER).`,
    tags: ['documents'],
    permission: 'documents:read',
    query: countDocumentsQuery,
    successStatus: 200,
    response: documentCountsSchema,
    errors: [400, 401, 403, 422],
    example: {
      query: { from: '2026-11-01', to: '2026-11-30' },
      response: {
        from: '2026-11-01',
        to: '2026-11-30',
        total: 1287,
        byStatus: {
          PROCESSING: 2,
          WAITING_FOR_HKA: 0,
          CONTINGENCY: 0,
          AUTHORIZED: 1262,
          REJECTED: 3,
          FAILED: 1,
          CANCELLED: 19,
        },
      },
    },
  }),
  getDocument: defineOperation({
    operationId: 'getDocument',
    method: 'get',
    path: '/v1/documents/{id}',
    summary: 'Get a document',
    tags: ['documents'],
    permission: 'documents:read',
    params: idParams,
    successStatus: 200,
    response: documentResourceSchema,
    errors: [401, 403, 404],
    example: { params: { id: exampleDocumentId }, response: exampleDocument('AUTHORIZED') },
  }),
  getDocumentByCufe: defineOperation({
    operationId: 'getDocumentByCufe',
    method: 'get',
    path: '/v1/documents/by-cufe/{cufe}',
    summary: 'Get a document by its CUFE',
    description: "The company's document with this CUFE; 404 DOCUMENT_NOT_FOUND when it has none.",
    tags: ['documents'],
    permission: 'documents:read',
    params: z.object({ cufe: cufeSchema }),
    successStatus: 200,
    response: documentResourceSchema,
    errors: [401, 403, 404, 422],
    example: { params: { cufe: exampleCufe }, response: exampleDocument('AUTHORIZED') },
  }),
  getDocumentEvents: defineOperation({
    operationId: 'getDocumentEvents',
    method: 'get',
    path: '/v1/documents/{id}/events',
    summary: 'Status history of a document',
    tags: ['documents'],
    permission: 'documents:read',
    params: idParams,
    successStatus: 200,
    response: z.array(eventSchema),
    errors: [401, 403, 404],
    example: {
      params: { id: exampleDocumentId },
      response: [
        { at: '2026-11-22T17:00:00.812Z', type: 'ACCEPTED', status: 'PROCESSING', actor: 'user:3f0c…' },
        { at: '2026-11-22T17:00:03.421Z', type: 'AUTHORIZED', status: 'AUTHORIZED' },
      ],
    },
  }),
  getDocumentLines: defineOperation({
    operationId: 'getDocumentLines',
    method: 'get',
    path: '/v1/documents/{id}/lines',
    summary: "A document's lines, in the shape POST /v1/documents takes",
    description:
      'The lines as they were issued, each as an `items[]` entry of `POST /v1/documents` (decimals as exact strings, the ITBMS rate as its DGI code): post them back unchanged, or edited, in a credit or debit note of this document. Products picked from the catalogue come back in full (the document keeps what was issued, not the product).',
    tags: ['documents'],
    permission: 'documents:read',
    params: idParams,
    successStatus: 200,
    response: z.object({
      items: z
        .array(itemSchema)
        .describe(
          "The document's lines in issuing order, each a valid `items[]` entry of POST /v1/documents",
        ),
    }),
    errors: [400, 401, 403, 404],
    example: {
      params: { id: exampleDocumentId },
      // The example document's lines as issued: its decimals as compute wrote them, ITBMS 7 % as code 01.
      response: {
        items: [
          {
            description: 'Servicio de soporte técnico mensual',
            code: 'SOP-001',
            unit: 'und',
            quantity: '1',
            unitPrice: '250.00',
            itbmsRate: '01',
          },
          {
            description: 'Cable de red Cat6',
            code: 'CAB-006',
            unit: 'm',
            quantity: '15',
            unitPrice: '0.85',
            itbmsRate: '01',
          },
        ],
      },
    },
  }),
  getDocumentXml: defineOperation({
    operationId: 'getDocumentXml',
    method: 'get',
    path: '/v1/documents/{id}/xml',
    summary: 'Download URL of the authorized rFE XML',
    description: 'A presigned URL valid for at most 5 minutes.',
    tags: ['documents'],
    permission: 'documents:read',
    params: idParams,
    query: downloadQuery,
    successStatus: 200,
    response: downloadResponse,
    errors: [302, 401, 403, 404, 409],
    example: { params: { id: exampleDocumentId }, response: exampleDownload('rfe.xml') },
  }),
  getDocumentPdf: defineOperation({
    operationId: 'getDocumentPdf',
    method: 'get',
    path: '/v1/documents/{id}/pdf',
    summary: 'Download URL of the CAFE (PDF)',
    description: 'A presigned URL valid for at most 5 minutes.',
    tags: ['documents'],
    permission: 'documents:read',
    params: idParams,
    query: downloadQuery,
    successStatus: 200,
    response: downloadResponse,
    errors: [302, 401, 403, 404, 409],
    example: { params: { id: exampleDocumentId }, response: exampleDownload('cafe.pdf') },
  }),
};

export const documentActionOperations = {
  cancelDocument: defineOperation({
    operationId: 'cancelDocument',
    method: 'post',
    path: '/v1/documents/{id}/cancel',
    summary: 'Cancel (anular) an authorized document',
    description:
      'Through HKA, within 7 days of authorization; afterwards 422 CANCELLATION_WINDOW_EXPIRED (issue a credit note instead).',
    tags: ['documents'],
    permission: 'documents:issue',
    params: idParams,
    body: z.object({ reason: z.string().trim().min(15).max(250).describe('Motivo de anulación (15..250)') }),
    idempotent: true,
    successStatus: 200,
    response: documentResourceSchema,
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 503],
    example: {
      params: { id: exampleDocumentId },
      body: { reason: 'Error en el precio facturado al cliente' },
      response: exampleDocument('CANCELLED'),
    },
  }),
  retryDocument: defineOperation({
    operationId: 'retryDocument',
    method: 'post',
    path: '/v1/documents/{id}/retry',
    summary: 'Retry issuing a FAILED document',
    description:
      'Reconciles with HKA (EstadoDocumento) before any re-send, so a retry never creates a second document.',
    tags: ['documents'],
    permission: 'documents:issue',
    params: idParams,
    idempotent: true,
    successStatus: 202,
    response: documentResourceSchema,
    errors: [400, 401, 403, 404, 409],
    example: { params: { id: exampleDocumentId }, response: exampleDocument('PROCESSING') },
  }),
  emailDocument: defineOperation({
    operationId: 'emailDocument',
    method: 'post',
    path: '/v1/documents/{id}/email',
    summary: 'E-mail an authorized document (CAFE PDF and rFE XML attached)',
    description: `To \`to\` or, when absent or empty, to the receiver's addresses; at most ${MAX_OTHER_RECIPIENTS} addresses besides the receiver's own (422 EMAIL_RECIPIENTS_LIMIT). At most ${RESENDS_PER_DOCUMENT_PER_HOUR} resends per document and ${RESENDS_PER_TENANT_PER_HOUR} per company per clock hour (UTC); beyond, 429 EMAIL_RESEND_LIMIT with Retry-After.`,
    tags: ['documents'],
    permission: 'documents:resend',
    params: idParams,
    body: z.object({
      to: z
        .array(mailboxSchema)
        .max(MAX_RESEND_RECIPIENTS)
        .optional()
        .describe(
          `Up to ${MAX_RESEND_RECIPIENTS} addresses (each ≤ 254 characters), at most ${MAX_OTHER_RECIPIENTS} besides the receiver’s; default: the receiver’s`,
        ),
    }),
    idempotent: true,
    successStatus: 200,
    response: z.object({ sent: z.literal(true), to: z.array(z.string()) }),
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429],
    example: {
      params: { id: exampleDocumentId },
      body: { to: ['contabilidad@ejemplo.com.pa'] },
      response: { sent: true, to: ['compras@ejemplo.com.pa', 'contabilidad@ejemplo.com.pa'] },
    },
  }),
};

const folioBalanceSchema = z
  .object({
    environment: z.enum(['demo', 'prod']),
    licence: z.string(),
    cycle: z.string(),
    cycleTotal: z.number(),
    cycleUsed: z.number(),
    cycleAvailable: z.number(),
    licenceTotal: z.number(),
    poolAvailable: z.number().describe('cycleAvailable at the last sync minus documents accepted since'),
    syncedAt: z.string(),
  })
  .nullable();

const exampleFolioBalance = {
  environment: 'demo',
  licence: 'LIC-0001',
  cycle: '2026-11',
  cycleTotal: 1000,
  cycleUsed: 158,
  cycleAvailable: 842,
  licenceTotal: 12000,
  poolAvailable: 839,
  syncedAt: '2026-11-22T17:00:00.000Z',
} satisfies z.input<typeof folioBalanceSchema>;

const folioAssignmentSchema = z.object({
  userId: z.string(),
  assigned: z.number(),
  remaining: z.number(),
  updatedAt: z.string(),
});

const exampleAssignment = {
  userId: '3f0c9a5e-5b1d-4c1e-9d62-1f7f0d2b8a41',
  assigned: 100,
  remaining: 100,
  updatedAt: '2026-11-22T17:00:00.000Z',
} satisfies z.input<typeof folioAssignmentSchema>;

export const folioOperations = {
  getFolios: defineOperation({
    operationId: 'getFolios',
    method: 'get',
    path: '/v1/folios',
    summary: 'Folio balance (HKA FoliosRestantes, as last synchronized)',
    tags: ['folios'],
    permission: 'documents:read',
    successStatus: 200,
    response: z.object({
      balance: folioBalanceSchema,
      assignments: z.array(folioAssignmentSchema),
      forecast: folioForecastSchema,
    }),
    errors: [401, 403],
    example: {
      response: {
        balance: exampleFolioBalance,
        assignments: [exampleAssignment],
        forecast: exampleFolioForecast,
      },
    },
  }),
  assignFolios: defineOperation({
    operationId: 'assignFolios',
    method: 'post',
    path: '/v1/folios/assignments',
    summary: 'Give a user folio quota (added to what the user has)',
    description:
      'Issuing debits the user assignment and the tenant pool atomically; exhausted → 409 FOLIOS_EXHAUSTED.',
    tags: ['folios'],
    permission: 'settings:manage',
    body: z.object({ userId: z.string().min(1).max(128), quantity: z.number().int().min(1).max(1_000_000) }),
    idempotent: true,
    successStatus: 200,
    response: folioAssignmentSchema,
    errors: [400, 401, 403, 413, 415, 422],
    example: { body: { userId: exampleAssignment.userId, quantity: 100 }, response: exampleAssignment },
  }),
  syncFolios: defineOperation({
    operationId: 'syncFolios',
    method: 'post',
    path: '/v1/folios/sync',
    summary: 'Synchronize the folio balance with HKA now',
    tags: ['folios'],
    permission: 'settings:manage',
    idempotent: true,
    successStatus: 200,
    response: folioBalanceSchema,
    errors: [400, 401, 403, 409, 503],
    example: { response: exampleFolioBalance },
  }),
};
