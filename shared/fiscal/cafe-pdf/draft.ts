// The watermark of a draft CAFE (a preview): the legend across every page, large and translucent, over
// everything else, so no page of a draft — printed, cropped or photographed — can pass for a fiscal document.
import { DRAFT_LEGEND } from './legends';
import type { Measurer } from './measure';
import type { PageLayout, WatermarkOp } from './ops';
import { toWinAnsi } from './text';

const FONT = 'Helvetica-Bold';
const COLOR = '#b42318';
const OPACITY = 0.18;
const MAX_SIZE = 72;
/** How much of its diagonal the legend spans: its ends stay clear of the corners, where its height would cross the edges. */
const DIAGONAL_SHARE = 0.7;
/** A page taller than this × its width (a long ticket) gets one legend per such stretch. */
const STRETCH_RATIO = 1.3;

/** One legend per stretch of the page, each along that stretch's diagonal (bottom-left to top-right). */
export function watermarkOps(m: Measurer, page: Pick<PageLayout, 'width' | 'height'>): WatermarkOp[] {
  const text = toWinAnsi(DRAFT_LEGEND);
  const count = Math.max(1, Math.round(page.height / (page.width * STRETCH_RATIO)));
  const stretch = page.height / count;
  const diagonal = Math.hypot(page.width, stretch);
  const size = Math.min(MAX_SIZE, (DIAGONAL_SHARE * diagonal) / m.width(text, FONT, 1));
  const angle = -(Math.atan2(stretch, page.width) * 180) / Math.PI;
  return Array.from({ length: count }, (_, i) => ({
    kind: 'watermark',
    x: page.width / 2,
    y: stretch * (i + 0.5),
    angle,
    text,
    textWidth: m.width(text, FONT, size),
    font: FONT,
    size,
    color: COLOR,
    opacity: OPACITY,
  }));
}
