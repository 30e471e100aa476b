import type { ReportTable } from './table.ts';

/** Two decimals, thousands separator; negatives with a minus (the viewer's locale picks the symbols). */
const AMOUNT_FORMAT = '#,##0.00;-#,##0.00';

/**
 * The table as an XLSX workbook of one sheet: a bold header row, amounts as numeric cells with 2 decimals.
 * An amount is a decimal string with 2 decimals; as a double it keeps every cent (up to 15 significant
 * digits, far above any document's 11 integer digits summed over a month).
 */
export async function toXlsx(table: ReportTable): Promise<Uint8Array> {
  // Loaded on the first XLSX asked for: ExcelJS is ~1 MB of JavaScript that JSON and CSV answers never need
  // (it stays out of the functions' init, see test/infra/bundles.test.ts).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'factu';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31));
  sheet.columns = table.columns.map((column) => ({
    header: column.header,
    width: Math.max(12, column.header.length + 2),
    ...(column.kind === 'amount' && { style: { numFmt: AMOUNT_FORMAT } }),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(
      row.map((cell, i) => (cell !== null && table.columns[i]?.kind === 'amount' ? Number(cell) : cell)),
    );
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
