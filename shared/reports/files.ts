import { newId } from '#shared/data/ids';
import { presignWorkFileGet, putWorkFile, workFileKeys } from '#shared/storage/work-files';
import { toCsv } from './csv.ts';
import type { ReportTable } from './table.ts';
import { toXlsx } from './xlsx.ts';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type FileFormat = Exclude<ReportFormat, 'json'>;

/** A rendered report: where to download it (a presigned GET of the work-files bucket). */
export type ReportFile = { format: FileFormat; fileName: string; url: string; expiresAt: string };

/** Presigned URLs live at most 5 minutes; the file itself expires with the bucket's 7-day rule. */
const DOWNLOAD_TTL_SECONDS = 300;

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Writes the table as a file in the work-files bucket and answers its download URL. A file (not the response
 * body) because API Gateway answers at most 10 MB and Lambda 6 MB, and a month's sales book can be larger;
 * it also needs no binary media types on the API.
 */
export async function renderReportFile(
  tenantId: string,
  table: ReportTable,
  format: FileFormat,
  baseName: string,
  now: Date = new Date(),
): Promise<ReportFile> {
  const key = workFileKeys(tenantId).report(newId(now), format);
  const body = format === 'csv' ? toCsv(table) : await toXlsx(table);
  await putWorkFile(key, body, CONTENT_TYPES[format]);
  const fileName = `${baseName}.${format}`;
  const url = await presignWorkFileGet(key, {
    expiresInSeconds: DOWNLOAD_TTL_SECONDS,
    fileName,
    contentType: CONTENT_TYPES[format],
  });
  return {
    format,
    fileName,
    url,
    expiresAt: new Date(now.getTime() + DOWNLOAD_TTL_SECONDS * 1000).toISOString(),
  };
}
