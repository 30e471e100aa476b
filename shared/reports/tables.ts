/**
 * Each report as a table for CSV and XLSX, headers in Spanish (docs/reports.md lists every column).
 */
import type { ItbmsSummary, SummarySide } from './itbms-summary.ts';
import type { NumberingAudit } from './numbering-audit.ts';
import type { SalesBook, SalesBookAmounts } from './sales-book.ts';
import type { Column, ReportTable } from './table.ts';

const text = (header: string): Column => ({ header, kind: 'text' });
const amount = (header: string): Column => ({ header, kind: 'amount' });

const AMOUNT_KEYS = [
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
] as const satisfies ReadonlyArray<keyof SalesBookAmounts>;

export const SALES_BOOK_COLUMNS: readonly Column[] = [
  text('Fecha'),
  text('Tipo'),
  text('Tipo DGI'),
  text('Sucursal-Punto-Número'),
  text('RUC receptor'),
  text('DV'),
  text('Nombre receptor'),
  amount('Neto 0%'),
  amount('Neto 7%'),
  amount('Neto 10%'),
  amount('Neto 15%'),
  amount('ITBMS 7%'),
  amount('ITBMS 10%'),
  amount('ITBMS 15%'),
  amount('ISC'),
  amount('OTI'),
  amount('Fletes y seguros'),
  amount('Descuentos'),
  amount('Total'),
  text('CUFE'),
  text('Estado'),
  text('En totales'),
];

export function salesBookTable(book: SalesBook): ReportTable {
  const rows = book.rows.map((row) => [
    row.date,
    row.type,
    row.typeCode,
    row.series,
    row.receiverRuc,
    row.receiverDv,
    row.receiverName,
    ...AMOUNT_KEYS.map((key) => row[key]),
    row.cufe,
    row.status,
    row.inTotals ? 'SI' : 'NO',
  ]);
  const totals = ['TOTAL', null, null, null, null, null, null, ...AMOUNT_KEYS.map((key) => book.totals[key])];
  return {
    title: `Libro de ventas ${book.month}`,
    columns: SALES_BOOK_COLUMNS,
    rows: [...rows, [...totals, null, null, null]],
  };
}

export const ITBMS_SUMMARY_COLUMNS: readonly Column[] = [
  text('Concepto'),
  amount('Ventas'),
  amount('Notas de crédito'),
  amount('Neto'),
];

export function itbmsSummaryTable(summary: ItbmsSummary): ReportTable {
  const line = (label: string, pick: (side: Omit<SummarySide, 'documents'>) => string) => [
    label,
    pick(summary.sales),
    pick(summary.creditNotes),
    pick(summary.net),
  ];
  const taxable = summary.sales.taxable.flatMap((rate, i) => [
    line(`Ventas gravadas ${rate.rate}% (base)`, (side) => side.taxable[i]?.net ?? '0.00'),
    line(`ITBMS ${rate.rate}%`, (side) => side.taxable[i]?.itbms ?? '0.00'),
  ]);
  return {
    title: `Resumen ITBMS ${summary.month}`,
    columns: ITBMS_SUMMARY_COLUMNS,
    rows: [
      ...taxable,
      line('Ventas exentas (0%)', (side) => side.exempt),
      line('Exportaciones', (side) => side.exports.net),
      line('ITBMS de exportaciones', (side) => side.exports.itbms),
      line('Ventas de fuente extranjera', (side) => side.foreignSource.net),
      line('ITBMS de fuente extranjera', (side) => side.foreignSource.itbms),
      line('ITBMS total', (side) => side.itbms),
      line('ISC', (side) => side.isc),
      line('OTI', (side) => side.oti),
      line('Fletes y seguros', (side) => side.charges),
      line('Descuentos', (side) => side.discount),
      line('Total documentos', (side) => side.total),
    ],
  };
}

export const NUMBERING_COLUMNS: readonly Column[] = [
  text('Número'),
  text('Estado'),
  text('Documento'),
  text('Motivo'),
];

export function numberingTable(audit: NumberingAudit): ReportTable {
  return {
    title: `Numeración ${audit.branch}-${audit.pointOfSale}`,
    columns: NUMBERING_COLUMNS,
    rows: [
      ...audit.numbers.map((entry) => [entry.number, entry.state, entry.documentId, entry.reason]),
      ...audit.duplicates.map((dup) => [dup.number, 'DUPLICADO', dup.documentIds.join(' '), null]),
    ],
  };
}
