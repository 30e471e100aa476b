import * as z from 'zod';
import { DOCUMENT_STATUSES } from '#shared/data/documents';
import { defineOperation } from '#shared/http/operation';
import { REPORT_FORMATS } from './files.ts';
import { MAX_NUMBERING_WINDOW } from './service.ts';

const money = z.string().describe('Decimal with 2 decimals, signed (credit notes negative)');
const branch = z.string().regex(/^[a-zA-Z0-9]{4}$/);
const pointOfSale = z.string().regex(/^[0-9]{3}$/);
const format = z
  .enum(REPORT_FORMATS)
  .default('json')
  .describe('json → the report; csv, xlsx → a presigned download URL of the file (valid 5 minutes)');

const monthQuery = z.object({
  month: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
    .describe('Panama calendar month YYYY-MM (documents by emission date, Panama time)'),
  branch: branch.optional(),
  pointOfSale: pointOfSale.optional(),
  format,
});

const documentNumber = z
  .string()
  .regex(/^[0-9]{1,10}$/, 'must be a document number (1 to 10 digits)')
  .transform(Number)
  .refine((value) => value >= 1, 'must be at least 1');

const numberingQuery = z
  .object({
    branch,
    pointOfSale,
    from: documentNumber.optional().describe('First number to detail'),
    to: documentNumber.optional().describe('Last number to detail (default: the last handed out)'),
    format,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    path: ['to'],
    message: 'must not be below from',
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from < MAX_NUMBERING_WINDOW, {
    path: ['to'],
    message: `at most ${MAX_NUMBERING_WINDOW} numbers per request`,
  });

const reportFile = z.object({
  format: z.enum(['csv', 'xlsx']),
  fileName: z.string(),
  url: z.string().describe('Presigned GET of the file'),
  expiresAt: z.string(),
});

const amounts = {
  net0: money,
  net7: money,
  net10: money,
  net15: money,
  itbms7: money,
  itbms10: money,
  itbms15: money,
  isc: money,
  oti: money,
  charges: money.describe('Freight and insurance'),
  discount: money.describe('Global discounts (subtracted)'),
  total: money,
};

const salesBookSchema = z.object({
  month: z.string(),
  branch: z.string().nullable(),
  pointOfSale: z.string().nullable(),
  rows: z.array(
    z.object({
      documentId: z.string(),
      date: z.string(),
      issuedAt: z.string(),
      type: z.string(),
      typeCode: z.string(),
      series: z.string().describe('<branch>-<point of sale>-<number>'),
      branch: z.string(),
      pointOfSale: z.string(),
      number: z.string(),
      receiverRuc: z.string().nullable(),
      receiverDv: z.string().nullable(),
      receiverName: z.string().nullable(),
      ...amounts,
      cufe: z.string().nullable(),
      status: z.enum(DOCUMENT_STATUSES),
      inTotals: z.boolean().describe('AUTHORIZED only'),
    }),
  ),
  totals: z.object(amounts),
  counts: z.object({ listed: z.number(), totalled: z.number(), cancelled: z.number(), pending: z.number() }),
});

const netAndItbms = z.object({ net: money, itbms: money });
const summaryFigures = {
  taxable: z.array(z.object({ rate: z.enum(['7', '10', '15']), net: money, itbms: money })),
  exempt: money,
  exports: netAndItbms,
  foreignSource: netAndItbms,
  itbms: money,
  isc: money,
  oti: money,
  charges: money,
  discount: money,
  total: money,
};
const summarySide = z.object({ documents: z.number(), ...summaryFigures });

const itbmsSummarySchema = z.object({
  month: z.string(),
  branch: z.string().nullable(),
  pointOfSale: z.string().nullable(),
  sales: summarySide,
  creditNotes: summarySide,
  net: z.object(summaryFigures),
  incoming: z.object({ documents: z.number(), total: money }),
  excluded: z.object({ cancelled: z.number(), pending: z.number(), rejected: z.number() }),
});

const NUMBER_STATES = [...DOCUMENT_STATUSES, 'VOID', 'MISSING'] as const;
const numberEntry = z.object({
  number: z.string(),
  state: z.enum(NUMBER_STATES),
  documentId: z.string().nullable(),
  reason: z.string().nullable(),
});
const range = z.object({ from: z.string(), to: z.string() });

const numberingSchema = z.object({
  branch: z.string(),
  pointOfSale: z.string(),
  allocated: range.nullable(),
  window: range.nullable(),
  numbers: z.array(numberEntry),
  gaps: z.array(numberEntry),
  duplicates: z.array(z.object({ number: z.string(), documentIds: z.array(z.string()) })),
  counts: z.record(z.enum(NUMBER_STATES), z.number()),
});

const exampleAmounts = {
  net0: '0.00',
  net7: '100.00',
  net10: '0.00',
  net15: '0.00',
  itbms7: '7.00',
  itbms10: '0.00',
  itbms15: '0.00',
  isc: '0.00',
  oti: '0.00',
  charges: '0.00',
  discount: '0.00',
  total: '107.00',
};
const zeroLine = (rate: '7' | '10' | '15') => ({ rate, net: '0.00', itbms: '0.00' });
const exampleSide = {
  taxable: [{ rate: '7' as const, net: '100.00', itbms: '7.00' }, zeroLine('10'), zeroLine('15')],
  exempt: '0.00',
  exports: { net: '0.00', itbms: '0.00' },
  foreignSource: { net: '0.00', itbms: '0.00' },
  itbms: '7.00',
  isc: '0.00',
  oti: '0.00',
  charges: '0.00',
  discount: '0.00',
  total: '107.00',
};
const emptySide = {
  taxable: [zeroLine('7'), zeroLine('10'), zeroLine('15')],
  exempt: '0.00',
  exports: { net: '0.00', itbms: '0.00' },
  foreignSource: { net: '0.00', itbms: '0.00' },
  itbms: '0.00',
  isc: '0.00',
  oti: '0.00',
  charges: '0.00',
  discount: '0.00',
  total: '0.00',
};

export const reportOperations = {
  getSalesBook: defineOperation({
    operationId: 'getSalesBook',
    method: 'get',
    path: '/v1/reports/sales-book',
    summary: 'Sales book of a month (libro de ventas): one row per document, and totals',
    description:
      'Credit notes are negative. AUTHORIZED documents are totalled; CANCELLED, PROCESSING and FAILED ones ' +
      'are listed and excluded; REJECTED ones are not listed (see the numbering audit). JSON answers up to ' +
      '5,000 rows (more: 422 REPORT_TOO_LARGE_FOR_JSON, ask for csv or xlsx). docs/reports.md explains every column.',
    tags: ['reports'],
    permission: 'reports:read',
    query: monthQuery,
    successStatus: 200,
    response: z.union([salesBookSchema, reportFile]),
    errors: [400, 401, 403, 422],
    example: {
      query: { month: '2026-11', format: 'json' },
      response: {
        month: '2026-11',
        branch: null,
        pointOfSale: null,
        rows: [
          {
            documentId: '01KBX7M3Q2Z8V4N6T0R5S9W1YC',
            date: '2026-11-22',
            issuedAt: '2026-11-22T10:00:00-05:00',
            type: 'invoice',
            typeCode: '01',
            series: '0000-001-0000000001',
            branch: '0000',
            pointOfSale: '001',
            number: '0000000001',
            receiverRuc: '2588017-1-831938',
            receiverDv: '20',
            receiverName: 'DISTRIBUIDORA EJEMPLO, S.A.',
            ...exampleAmounts,
            cufe: 'FE0120000155596713-2-2015-5900002026112200000000010010124829136750',
            status: 'AUTHORIZED',
            inTotals: true,
          },
        ],
        totals: exampleAmounts,
        counts: { listed: 1, totalled: 1, cancelled: 0, pending: 0 },
      },
    },
  }),
  getItbmsSummary: defineOperation({
    operationId: 'getItbmsSummary',
    method: 'get',
    path: '/v1/reports/itbms-summary',
    summary: 'ITBMS summary of a month: the figures of the ITBMS return (Form 430)',
    description:
      'From AUTHORIZED documents only: taxable sales and ITBMS by rate, exempt sales, exports, and the ' +
      'credit-note adjustments, sales and credit notes apart and their difference. docs/reports.md maps ' +
      'each figure to the form.',
    tags: ['reports'],
    permission: 'reports:read',
    query: monthQuery,
    successStatus: 200,
    response: z.union([itbmsSummarySchema, reportFile]),
    errors: [400, 401, 403, 422],
    example: {
      query: { month: '2026-11' },
      response: {
        month: '2026-11',
        branch: null,
        pointOfSale: null,
        sales: { documents: 1, ...exampleSide },
        creditNotes: { documents: 0, ...emptySide },
        net: exampleSide,
        incoming: { documents: 0, total: '0.00' },
        excluded: { cancelled: 0, pending: 0, rejected: 0 },
      },
    },
  }),
  getNumberingAudit: defineOperation({
    operationId: 'getNumberingAudit',
    method: 'get',
    path: '/v1/reports/numbering',
    summary: 'Numbering audit of a point of sale: each number’s state, gaps with their reason, duplicates',
    description:
      `Details at most ${MAX_NUMBERING_WINDOW} numbers per request (default: the newest); page with from/to. ` +
      'Gaps: REJECTED and FAILED documents (they keep their number), VOID numbers (never carried a document), ' +
      'MISSING ones (handed out, no claim). Duplicates must be empty.',
    tags: ['reports'],
    permission: 'reports:read',
    query: numberingQuery,
    successStatus: 200,
    response: z.union([numberingSchema, reportFile]),
    errors: [400, 401, 403, 422],
    example: {
      query: { branch: '0000', pointOfSale: '001' },
      response: {
        branch: '0000',
        pointOfSale: '001',
        allocated: { from: '0000000001', to: '0000000002' },
        window: { from: '0000000001', to: '0000000002' },
        numbers: [
          {
            number: '0000000001',
            state: 'AUTHORIZED',
            documentId: '01KBX7M3Q2Z8V4N6T0R5S9W1YC',
            reason: null,
          },
          {
            number: '0000000002',
            state: 'REJECTED',
            documentId: '01KBX7N0A1B2C3D4E5F6G7H8J9',
            reason: 'RUC_NOT_REGISTERED',
          },
        ],
        gaps: [
          {
            number: '0000000002',
            state: 'REJECTED',
            documentId: '01KBX7N0A1B2C3D4E5F6G7H8J9',
            reason: 'RUC_NOT_REGISTERED',
          },
        ],
        duplicates: [],
        counts: {
          PROCESSING: 0,
          WAITING_FOR_HKA: 0,
          CONTINGENCY: 0,
          AUTHORIZED: 1,
          REJECTED: 1,
          FAILED: 0,
          CANCELLED: 0,
          VOID: 0,
          MISSING: 0,
        },
      },
    },
  }),
};
