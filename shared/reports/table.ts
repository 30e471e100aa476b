/**
 * A report as a table: Spanish column headers, each cell text or an amount (a decimal string with 2
 * decimals). CSV and XLSX are both written from this one shape, so they show the same figures as the JSON.
 */
export type Column = { header: string; kind: 'text' | 'amount' };

export type ReportTable = {
  /** Sheet name (XLSX) and the base of the file name. */
  title: string;
  columns: readonly Column[];
  /** One cell per column; amounts are decimal strings (`-12.50`), text may be null (empty cell). */
  rows: ReadonlyArray<ReadonlyArray<string | null>>;
};
