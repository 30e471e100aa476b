/**
 * One word typed to find a product may be the start of its code or of its description: codes carry no
 * telling shape (`SOP-001`, `CAFE`, `TAL-ABC`), so the listing answers both, one after the other. First
 * the products whose code starts with the word (the uniqueness partition), then those whose description
 * starts with it and whose code does not (index `bySearchKey`), so none is listed twice. A page fills from
 * the code phase's tail and the description phase's head alike.
 *
 * The cursor is sealed like every cursor (shared/data/cursor.ts) to the tenant and the word, and carries the
 * phase and that phase's own sealed cursor, which the repository checks again against its listing.
 */
import { cursorSecret } from '#shared/config/secrets';
import { type CursorBinding, openCursor, sealCursor } from '#shared/data/cursor';
import { searchKey, uniqueKey } from '#shared/data/search-key';
import { BadRequestError } from '#shared/errors';
import type { ProductItem } from './api.ts';
import { listEntries, type Stored } from './entries.ts';

type Phase = 'code' | 'description';

/** Where the listing resumes: the phase and, within it, its own cursor (absent at the phase's start). */
type Position = { phase: Phase; after?: string };

const PHASES: readonly string[] = ['code', 'description'] satisfies Phase[];

function positionOf(cursor: string, binding: CursorBinding, secret: string): Position {
  const opened = openCursor(cursor, binding, secret);
  const { phase, after } = opened ?? {};
  if (
    typeof phase !== 'string' ||
    !PHASES.includes(phase) ||
    !(after === undefined || typeof after === 'string')
  ) {
    throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
  }
  return { phase: phase as Phase, ...(after !== undefined && { after }) };
}

/** A page of the products whose code or description starts with `word` (one word, trimmed). */
export async function listProductsByWord(
  tenantId: string,
  word: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: Stored<ProductItem>[]; nextCursor: string | null }> {
  const codePrefix = uniqueKey(word);
  const descriptionPrefix = searchKey(word);
  const binding: CursorBinding = {
    tenantId,
    listing: [
      ['catalogue', 'product'],
      ['by', 'code, then description'],
      ['code', codePrefix],
      ['description', descriptionPrefix],
    ],
  };
  const secret = await cursorSecret();
  const seal = (position: Position) => sealCursor(position, binding, secret);
  let position = page.cursor ? positionOf(page.cursor, binding, secret) : { phase: 'code' as Phase };
  const items: Stored<ProductItem>[] = [];

  if (position.phase === 'code') {
    const byCode = await listEntries<ProductItem>(
      'product',
      tenantId,
      { by: 'unique', prefix: codePrefix },
      { limit: page.limit, cursor: position.after },
    );
    items.push(...byCode.items);
    if (byCode.nextCursor) return { items, nextCursor: seal({ phase: 'code', after: byCode.nextCursor }) };
    position = { phase: 'description' };
  }
  // Punctuation only: no description key to look for (an empty prefix would be every product).
  if (descriptionPrefix === '') return { items, nextCursor: null };
  if (items.length === page.limit) return { items, nextCursor: seal(position) };

  const listedByCode = (entry: Stored<ProductItem>) => uniqueKey(entry.code).startsWith(codePrefix);
  const byDescription = await listEntries<ProductItem>(
    'product',
    tenantId,
    { by: 'search', prefix: descriptionPrefix },
    { limit: page.limit - items.length, cursor: position.after, keep: (entry) => !listedByCode(entry) },
  );
  items.push(...byDescription.items);
  return {
    items,
    nextCursor: byDescription.nextCursor
      ? seal({ phase: 'description', after: byDescription.nextCursor })
      : null,
  };
}
