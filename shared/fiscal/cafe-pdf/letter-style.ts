// Geometry, colours and type sizes of the US Letter CAFE, and the two primitives every block uses.
import type { Block } from './block';
import type { Measurer } from './measure';
import type { Op } from './ops';

export const PAGE_WIDTH = 612;
export const PAGE_HEIGHT = 792;
export const MARGIN = 36;
export const LEFT = MARGIN;
export const RIGHT = PAGE_WIDTH - MARGIN;
export const CONTENT_WIDTH = RIGHT - LEFT;
/** Top of the footer; content must end above `CONTENT_BOTTOM`. */
export const FOOTER_TOP = PAGE_HEIGHT - 30;
export const CONTENT_BOTTOM = FOOTER_TOP - 8;
/** The document box of the header and the totals box share this column, so they line up. */
export const SIDE_WIDTH = 210;
export const SIDE_X = RIGHT - SIDE_WIDTH;

export const C = {
  ink: '#111111',
  muted: '#5b6470',
  rule: '#c9ced6',
  band: '#1f2d3d',
  onBand: '#ffffff',
  head: '#e9ecf0',
  zebra: '#f6f7f9',
  alertFill: '#fdecea',
  alert: '#b42318',
};

export const BODY = 8;
export const TABLE = 7.5;
export const CELL_PAD = 3;

export function rule(y: number, x1 = LEFT, x2 = RIGHT, color = C.rule, width = 0.5): Op {
  return { kind: 'line', x1, y1: y, x2, y2: y, color, width };
}

/** Small upper-case section title with a rule under it. */
export function sectionTitle(m: Measurer, title: string, x = LEFT, width = CONTENT_WIDTH): Block {
  const t = m.text(title.toUpperCase(), x, 0, width, { font: 'Helvetica-Bold', size: 7.5, color: C.muted });
  return { ops: [t.op, rule(t.height + 2, x, x + width)], height: t.height + 5 };
}
