// US Letter pagination: header and receiver on page 1, the item table flows over as many pages as needed
// with its header repeated, then summary, info and the authorization block, each kept whole on one page.
import { type Block, placeBlock } from './block';
import {
  authorization,
  contingencyBanner,
  continuationHeader,
  draftBanner,
  draftNotice,
  footer,
  header,
  info,
  receiver,
  references,
  summary,
  testBanner,
} from './letter-blocks';
import { CONTENT_BOTTOM, FOOTER_TOP, MARGIN, PAGE_HEIGHT, PAGE_WIDTH } from './letter-style';
import { itemHeader, itemRow } from './letter-table';
import type { Measurer } from './measure';
import type { Op, PageLayout } from './ops';
import type { CafeView } from './view';

const SECTION_GAP = 12;

export function layoutLetter(m: Measurer, view: CafeView): PageLayout[] {
  const pages: Op[][] = [];
  let ops: Op[] = [];
  let y = MARGIN;
  const isTest = view.environment === '2';
  const { contingency } = view;

  const newPage = (first: boolean) => {
    ops = [];
    pages.push(ops);
    y = MARGIN;
    if (first) {
      y = placeBlock(ops, header(m, view), y) + SECTION_GAP;
      if (isTest) y = placeBlock(ops, testBanner(m), y) + SECTION_GAP;
      if (view.draft) y = placeBlock(ops, draftBanner(m), y) + SECTION_GAP;
      if (contingency) y = placeBlock(ops, contingencyBanner(m, contingency.startedAt), y) + SECTION_GAP;
    } else {
      y = placeBlock(ops, continuationHeader(m, view), y) + 6;
      // The legend is on every page: a single printed page must never pass for a fiscal document.
      if (isTest) y = placeBlock(ops, testBanner(m, true), y) + 8;
      if (view.draft) y = placeBlock(ops, draftBanner(m, true), y) + 8;
      if (contingency) y = placeBlock(ops, contingencyBanner(m, contingency.startedAt, true), y) + 8;
    }
  };
  const fits = (block: Block) => y + block.height <= CONTENT_BOTTOM;
  /** Places a block that must stay whole, starting a page when it does not fit on this one. */
  const placeWhole = (block: Block) => {
    if (block.height === 0) return;
    if (!fits(block)) newPage(false);
    y = placeBlock(ops, block, y) + SECTION_GAP;
  };

  newPage(true);
  placeWhole(receiver(m, view));
  placeWhole(references(m, view));

  const tableHeader = itemHeader(m);
  view.items.forEach((item, index) => {
    const row = itemRow(m, item, index);
    // The header goes with the first row so it never ends a page alone.
    if (index === 0 && y + tableHeader.height + row.height > CONTENT_BOTTOM) newPage(false);
    if (index === 0) y = placeBlock(ops, tableHeader, y);
    if (!fits(row)) {
      newPage(false);
      y = placeBlock(ops, tableHeader, y);
    }
    y = placeBlock(ops, row, y);
  });
  y += SECTION_GAP + 4;

  placeWhole(summary(m, view));
  placeWhole(info(m, view));
  placeWhole(view.draft ? draftNotice(m) : authorization(m, view));

  return pages.map((pageOps, i) => {
    placeBlock(pageOps, footer(m, view, i + 1, pages.length), FOOTER_TOP);
    return { width: PAGE_WIDTH, height: PAGE_HEIGHT, ops: pageOps };
  });
}
