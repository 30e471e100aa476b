import type { ReportTable } from './table.ts';

/** The UTF-8 byte order mark: Excel (Spanish locale) reads the file as UTF-8 only with it. */
const BOM = '\uFEFF';

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. */
function field(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The table as CSV (RFC 4180): UTF-8 with BOM, comma separator, CRLF line ends, header row, amounts with a
 * decimal point as the JSON has them.
 */
export function toCsv(table: ReportTable): string {
  const lines = [
    table.columns.map((column) => field(column.header)),
    ...table.rows.map((row) => row.map(field)),
  ];
  return `${BOM}${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}
