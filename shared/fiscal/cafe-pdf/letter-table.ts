// Tables of the US Letter CAFE: the item table (rows wrap text, amounts stay on one line) and the small
// summary tables, all built from the same row primitive so columns align the same way everywhere.
import { type Block, stack } from './block';
import { C, CELL_PAD, CONTENT_WIDTH, LEFT, RIGHT, rule, TABLE } from './letter-style';
import type { Measurer } from './measure';
import type { Op, TextOp } from './ops';
import type { CafeItem } from './view';

export type Column = { title: string; width: number; align: TextOp['align']; mono?: boolean };

/** A table with a shaded header row; `rows` are already strings. Used for the small summary tables. */
export function table(m: Measurer, x: number, columns: Column[], rows: string[][], size = TABLE): Block {
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const headerRow = row(
    m,
    x,
    columns,
    columns.map((c) => c.title),
    { size, bold: true, fill: C.head },
  );
  const bodyRows = rows.map((cells, i) =>
    row(m, x, columns, cells, { size, fill: i % 2 === 1 ? C.zebra : undefined }),
  );
  const body = stack([headerRow, ...bodyRows]);
  body.ops.push(rule(body.height, x, x + width, C.rule, 0.5));
  return body;
}

/** One table row: cells wrap (text) or shrink to fit (amounts), the row takes its tallest cell. */
export function row(
  m: Measurer,
  x: number,
  columns: Column[],
  cells: string[],
  style: { size?: number; bold?: boolean; fill?: string | undefined } = {},
): Block {
  const size = style.size ?? TABLE;
  const ops: Op[] = [];
  let cx = x;
  let height = 0;
  columns.forEach((column, i) => {
    const text = cells[i] ?? '';
    const inner = column.width - 2 * CELL_PAD;
    const font = style.bold ? 'Helvetica-Bold' : column.mono ? 'Courier' : 'Helvetica';
    // Right-aligned columns are amounts and mono columns are CUFEs: one line, shrunk to fit, never
    // wrapped mid-number (a number split over two lines reads as two numbers).
    const oneLine = !style.bold && (column.align === 'right' || column.mono === true);
    const cellSize = oneLine ? m.fitSize(text, font, size, inner) : size;
    const t = m.text(text, cx + CELL_PAD, CELL_PAD, inner, {
      font,
      size: cellSize,
      align: column.align,
      noWrap: oneLine,
    });
    ops.push(t.op);
    height = Math.max(height, t.height);
    cx += column.width;
  });
  height += 2 * CELL_PAD;
  if (style.fill) ops.unshift({ kind: 'rect', x, y: 0, w: cx - x, h: height, fill: style.fill });
  return { ops, height };
}

/** Item table columns; the description takes what the fixed columns leave. */
export const ITEM_COLUMNS: Column[] = (() => {
  const fixed: Column[] = [
    { title: '#', width: 18, align: 'right' },
    { title: 'Código', width: 48, align: 'left' },
    { title: 'Descripción', width: 0, align: 'left' },
    { title: 'Cant.', width: 40, align: 'right' },
    { title: 'Unidad', width: 32, align: 'left' },
    { title: 'P. unitario', width: 54, align: 'right' },
    { title: 'Desc.', width: 38, align: 'right' },
    { title: 'Tasa', width: 28, align: 'right' },
    { title: 'ITBMS', width: 42, align: 'right' },
    { title: 'Total', width: 54, align: 'right' },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  fixed[2]!.width = CONTENT_WIDTH - used;
  return fixed;
})();

export function itemHeader(m: Measurer): Block {
  return row(
    m,
    LEFT,
    ITEM_COLUMNS,
    ITEM_COLUMNS.map((c) => c.title),
    { bold: true, fill: C.head },
  );
}

export function itemRow(m: Measurer, item: CafeItem, index: number): Block {
  const cells = [
    item.lineNumber,
    item.code,
    item.notes ? `${item.description}\n${item.notes}` : item.description,
    item.quantity,
    item.unit,
    item.unitPrice,
    item.discount,
    item.itbmsRate,
    item.itbmsAmount,
    item.lineTotal,
  ];
  const block = row(m, LEFT, ITEM_COLUMNS, cells, { fill: index % 2 === 1 ? C.zebra : undefined });
  block.ops.push(rule(block.height, LEFT, RIGHT, C.rule, 0.3));
  return block;
}
