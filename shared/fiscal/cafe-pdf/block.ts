// A block is a group of ops laid out from y = 0 with a known height. Layouts build blocks first and then
// place them, so "does it fit on this page?" is a comparison, not a trial render.
import type { Op } from './ops';

export type Block = { ops: Op[]; height: number };

export const EMPTY_BLOCK: Block = { ops: [], height: 0 };

export function shiftOp(op: Op, dy: number): Op {
  if (op.kind === 'line') return { ...op, y1: op.y1 + dy, y2: op.y2 + dy };
  return { ...op, y: op.y + dy };
}

/** The largest `w` × `h` that fits `image` in a `maxW` × `maxH` box, keeping its proportions. */
export function fitInBox(image: { width: number; height: number }, maxW: number, maxH: number) {
  const scale = Math.min(maxW / image.width, maxH / image.height);
  return { w: image.width * scale, h: image.height * scale };
}

/** Appends `block` to `ops` with its top at `y`; returns the y just below it. */
export function placeBlock(ops: Op[], block: Block, y: number): number {
  for (const op of block.ops) ops.push(shiftOp(op, y));
  return y + block.height;
}

/** Stacks blocks vertically with `gap` between non-empty ones. */
export function stack(blocks: Block[], gap = 0): Block {
  const ops: Op[] = [];
  let y = 0;
  let first = true;
  for (const block of blocks) {
    if (block.height === 0 && block.ops.length === 0) continue;
    if (!first) y += gap;
    y = placeBlock(ops, block, y);
    first = false;
  }
  return { ops, height: y };
}
