import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DocumentStatus } from '#shared/data/documents';
import { dec, sum } from '#shared/fiscal/amounts';
import { toCsv } from '#shared/reports/csv';
import { buildItbmsSummary } from '#shared/reports/itbms-summary';
import { buildSalesBook } from '#shared/reports/sales-book';
import { itbmsSummaryTable, SALES_BOOK_COLUMNS, salesBookTable } from '#shared/reports/tables';
import { toXlsx } from '#shared/reports/xlsx';
import { asLedgerDocuments, generateMonth } from './generated-month';

const STATUSES: DocumentStatus[] = [
  'AUTHORIZED',
  'AUTHORIZED',
  'AUTHORIZED',
  'AUTHORIZED',
  'CANCELLED',
  'REJECTED',
  'PROCESSING',
  'FAILED',
];
const generated = generateMonth(600, 7);
const documents = asLedgerDocuments(generated, (i) =>
  i % 11 === 0 ? (STATUSES[(i / 11) % STATUSES.length] as DocumentStatus) : 'AUTHORIZED',
);
const authorized = documents.filter((doc) => doc.status === 'AUTHORIZED');
const CREDIT = new Set(['credit-note', 'generic-credit-note']);
/** The oracle: a document's total with its sign, from the computed document, not from the ledger. */
const signedTotal = (doc: (typeof documents)[number]) =>
  CREDIT.has(doc.type) ? dec(doc.totals.total).negated() : dec(doc.totals.total);
const itemsOf = (doc: (typeof documents)[number]) =>
  generated[Number(doc.documentId.slice(3))]!.computed.items;

describe('sales book', () => {
  const book = buildSalesBook(documents, { month: '2026-11' });

  it('lists every document but the rejected ones, and totals the authorized ones to the cent', () => {
    // Assess
    expect(book.rows).toHaveLength(documents.filter((doc) => doc.status !== 'REJECTED').length);
    expect(book.counts.totalled).toBe(authorized.length);
    expect(book.counts.cancelled).toBeGreaterThan(0);
    expect(book.totals.total).toBe(sum(authorized.map(signedTotal)).toFixed(2));
    const itbms15 = sum(
      authorized.flatMap((doc) =>
        itemsOf(doc)
          .filter((item) => item.itbmsRate === '03')
          .map((item) => (CREDIT.has(doc.type) ? dec(item.itbms).negated() : dec(item.itbms))),
      ),
    );
    expect(book.totals.itbms15).toBe(itbms15.toFixed(2));
  });

  it('shows credit notes negative and every row adds up to its total', () => {
    for (const row of book.rows) {
      // Assess
      const parts = [
        row.net0,
        row.net7,
        row.net10,
        row.net15,
        row.itbms7,
        row.itbms10,
        row.itbms15,
        row.isc,
        row.oti,
        row.charges,
      ];
      expect(
        sum(parts.map((p) => dec(p)))
          .minus(row.discount)
          .toFixed(2),
      ).toBe(row.total);
      if (CREDIT.has(row.type)) expect(dec(row.total).isNegative() || dec(row.total).isZero()).toBe(true);
    }
    const columns = [
      'net0',
      'net7',
      'net10',
      'net15',
      'itbms7',
      'itbms10',
      'itbms15',
      'isc',
      'oti',
      'charges',
      'discount',
      'total',
    ] as const;
    for (const column of columns) {
      const rows = sum(book.rows.filter((row) => row.inTotals).map((row) => dec(row[column])));
      expect(rows.toFixed(2)).toBe(book.totals[column]);
    }
  });

  it('writes CSV and XLSX with the JSON figures', async () => {
    // Prepare
    const table = salesBookTable(book);

    // Act
    const csv = toCsv(table);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(table)).buffer as ArrayBuffer);

    // Assess
    expect(csv.startsWith('\uFEFFFecha,Tipo,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(book.rows.length + 2);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(book.rows.length + 2);
    const totalColumn = SALES_BOOK_COLUMNS.findIndex((column) => column.header === 'Total') + 1;
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('TOTAL');
    expect(last.getCell(totalColumn).value).toBe(Number(book.totals.total));
    expect(last.getCell(totalColumn).numFmt).toBe('#,##0.00;-#,##0.00');
    book.rows.forEach((row, i) => {
      expect(sheet.getRow(i + 2).getCell(totalColumn).value).toBe(Number(row.total));
    });
  });
});

describe('ITBMS summary', () => {
  const summary = buildItbmsSummary(documents, { month: '2026-11' });
  const fromSide = (side: typeof summary.sales) =>
    sum([
      ...side.taxable.map((line) => dec(line.net)),
      dec(side.exempt),
      dec(side.exports.net),
      dec(side.foreignSource.net),
      dec(side.itbms),
      dec(side.isc),
      dec(side.oti),
      dec(side.charges),
    ]).minus(side.discount);

  it('reconciles with the authorized documents to the cent', () => {
    // Prepare
    const sales = authorized.filter((doc) => doc.ledger.taxClass !== 'incoming');

    // Assess
    expect(summary.net.total).toBe(sum(sales.map(signedTotal)).toFixed(2));
    expect(fromSide(summary.sales).toFixed(2)).toBe(summary.sales.total);
    expect(fromSide(summary.creditNotes).toFixed(2)).toBe(summary.creditNotes.total);
    expect(summary.creditNotes.total).toBe(
      sum(sales.filter((doc) => CREDIT.has(doc.type)).map((doc) => dec(doc.totals.total))).toFixed(2),
    );
    const itbms = sum(
      sales.map((doc) => (CREDIT.has(doc.type) ? dec(doc.totals.itbms).negated() : dec(doc.totals.itbms))),
    );
    expect(summary.net.itbms).toBe(itbms.toFixed(2));
    const incoming = authorized.filter((doc) => doc.ledger.taxClass === 'incoming');
    expect(summary.incoming).toEqual({
      documents: incoming.length,
      total: sum(incoming.map((doc) => dec(doc.totals.total))).toFixed(2),
    });
    expect(summary.excluded.cancelled + summary.excluded.pending + summary.excluded.rejected).toBe(
      documents.length - authorized.length,
    );
  });

  it('puts domestic 0 % sales in exempt and exports apart', () => {
    // Prepare
    const domesticZero = sum(
      authorized
        .filter((doc) => doc.ledger.taxClass === 'domestic' && !CREDIT.has(doc.type))
        .flatMap((doc) =>
          itemsOf(doc)
            .filter((item) => item.itbmsRate === '00')
            .map((item) => dec(item.price)),
        ),
    );
    const exports = sum(
      authorized
        .filter((doc) => doc.ledger.taxClass === 'export' && !CREDIT.has(doc.type))
        .map((doc) => dec(doc.totals.net)),
    );

    // Assess
    expect(summary.sales.exempt).toBe(domesticZero.toFixed(2));
    expect(summary.sales.exports.net).toBe(exports.toFixed(2));
    expect(dec(summary.sales.exports.net).greaterThan(0)).toBe(true);
  });

  it('writes the summary as a table of sales, credit notes and net', () => {
    // Act
    const table = itbmsSummaryTable(summary);

    // Assess
    expect(table.columns.map((c) => c.header)).toEqual(['Concepto', 'Ventas', 'Notas de crédito', 'Neto']);
    expect(table.rows.at(-1)).toEqual([
      'Total documentos',
      summary.sales.total,
      summary.creditNotes.total,
      summary.net.total,
    ]);
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    // Act
    const csv = toCsv({
      title: 't',
      columns: [
        { header: 'Nombre', kind: 'text' },
        { header: 'Total', kind: 'amount' },
      ],
      rows: [
        ['ACME, "S.A."', '-1.50'],
        ['línea\nnueva', null],
      ],
    });

    // Assess
    expect(csv).toBe('\uFEFFNombre,Total\r\n"ACME, ""S.A.""",-1.50\r\n"línea\nnueva",\r\n');
  });
});
