import { ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { type FileFormat, type ReportFile, type ReportFormat, renderReportFile } from './files.ts';
import { buildItbmsSummary, type ItbmsSummary } from './itbms-summary.ts';
import { documentsOfMonth } from './month-documents.ts';
import { buildNumberingAudit, type NumberingAudit } from './numbering-audit.ts';
import { buildSalesBook, type SalesBook } from './sales-book.ts';
import { claimedDocuments, seriesClaims, seriesLastNumber } from './series.ts';
import { itbmsSummaryTable, numberingTable, salesBookTable } from './tables.ts';

/**
 * Rows a JSON answer may carry: ~600 bytes a row keeps it near 3 MB, under Lambda's 6 MB response. Larger
 * months are asked for as a file (CSV, XLSX), which has no such limit.
 */
export const MAX_JSON_ROWS = 5000;

/** How many numbers one numbering audit details (the window); the whole series is read a window at a time. */
export const MAX_NUMBERING_WINDOW = 5000;

export type MonthQuery = { month: string; branch?: string; pointOfSale?: string; format: ReportFormat };

const isFile = (format: ReportFormat): format is FileFormat => format !== 'json';

export async function salesBookReport(
  ctx: TenantContext,
  query: MonthQuery,
): Promise<SalesBook | ReportFile> {
  const documents = await documentsOfMonth(ctx.tenantId, query);
  const book = buildSalesBook(documents, query);
  if (isFile(query.format)) {
    return renderReportFile(
      ctx.tenantId,
      salesBookTable(book),
      query.format,
      `libro-ventas-${scopeName(query)}`,
    );
  }
  if (book.rows.length > MAX_JSON_ROWS) {
    throw new ValidationError(
      [{ path: 'format', message: `${book.rows.length} rows: ask for format=csv or format=xlsx` }],
      `The sales book has more than ${MAX_JSON_ROWS} rows`,
      'REPORT_TOO_LARGE_FOR_JSON',
    );
  }
  return book;
}

export async function itbmsSummaryReport(
  ctx: TenantContext,
  query: MonthQuery,
): Promise<ItbmsSummary | ReportFile> {
  const summary = buildItbmsSummary(await documentsOfMonth(ctx.tenantId, query), query);
  if (!isFile(query.format)) return summary;
  return renderReportFile(
    ctx.tenantId,
    itbmsSummaryTable(summary),
    query.format,
    `resumen-itbms-${scopeName(query)}`,
  );
}

export type NumberingQuery = {
  branch: string;
  pointOfSale: string;
  from?: number;
  to?: number;
  format: ReportFormat;
};

export async function numberingReport(
  ctx: TenantContext,
  query: NumberingQuery,
): Promise<NumberingAudit | ReportFile> {
  const { tenantId } = ctx;
  const lastNumber = await seriesLastNumber(tenantId, query.branch, query.pointOfSale);
  const window = numberingWindow(lastNumber, query);
  const claims = window ? await seriesClaims(tenantId, query.branch, query.pointOfSale, window) : [];
  const audit = buildNumberingAudit({
    branch: query.branch,
    pointOfSale: query.pointOfSale,
    lastNumber,
    window,
    claims,
    documents: await claimedDocuments(tenantId, claims),
  });
  if (!isFile(query.format)) return audit;
  return renderReportFile(
    tenantId,
    numberingTable(audit),
    query.format,
    `numeracion-${query.branch}-${query.pointOfSale}`,
  );
}

/**
 * The numbers to detail, within 1..lastNumber and at most MAX_NUMBERING_WINDOW of them: `from`..`to` as
 * asked; `from` alone → that many from it; `to` alone (or neither) → that many up to it (default: the
 * counter, so the newest numbers). Null when that leaves nothing.
 */
export function numberingWindow(
  lastNumber: number,
  query: { from?: number; to?: number },
): { from: number; to: number } | null {
  const asked = query.to ?? (query.from !== undefined ? query.from + MAX_NUMBERING_WINDOW - 1 : lastNumber);
  const to = Math.min(asked, lastNumber);
  const from = Math.max(query.from ?? to - MAX_NUMBERING_WINDOW + 1, 1);
  return to >= from ? { from, to } : null;
}

function scopeName(query: MonthQuery): string {
  return [query.month, query.branch, query.pointOfSale].filter(Boolean).join('-');
}
