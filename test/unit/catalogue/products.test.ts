import { beforeEach, describe, expect, it } from 'vitest';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '#shared/catalogue/products';
import { keys } from '#shared/data/keys';
import { ValidationError } from '#shared/errors';
import { TENANT } from '../app/helpers.ts';
import { NOW, otherTenant, product, resetWorld, table, user } from './world.ts';

beforeEach(resetWorld);

const list = (q?: string, extra: Record<string, unknown> = {}) =>
  listProducts(user, { q, limit: 25, ...extra } as Parameters<typeof listProducts>[1]);

describe('products', () => {
  it('saves the product with its code claim (case-insensitive) and description-search keys', async () => {
    // Act
    const saved = await createProduct(user, product(), { now: NOW });

    // Assess
    expect(saved).toEqual({
      ...product(),
      id: saved.id,
      version: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(table.get(keys.product(TENANT, saved.id))).toMatchObject({
      gsi5pk: `T#${TENANT}#PRODUCTS`,
      gsi5sk: `servicio de soporte tecnico mensual#${saved.id}`,
    });
    expect(table.get(keys.productCode(TENANT, 'sop-001'))).toMatchObject({ entryId: saved.id });
    await expect(createProduct(user, product({ code: 'sop-001' }), { now: NOW })).rejects.toMatchObject({
      code: 'PRODUCT_CODE_TAKEN',
      details: [{ path: 'code', hint: saved.id }],
    });
  });

  it('checks the item with the document rules: a CPBS family outside its segment is refused on its path', async () => {
    // Act
    const saving = createProduct(user, product({ cpbs: { segment: '43', family: '1010' } }), { now: NOW });

    // Assess
    await expect(saving).rejects.toBeInstanceOf(ValidationError);
    await expect(saving).rejects.toMatchObject({
      details: [expect.objectContaining({ path: 'cpbs.family' })],
    });
    expect(table.partition(`T#${TENANT}#PRODUCTS#CODE`)).toEqual([]);
  });

  it('searches by code prefix or description prefix; a PUT moves both, a DELETE frees the code', async () => {
    // Prepare
    const soporte = await createProduct(user, product(), { now: NOW });
    const cable = await createProduct(
      user,
      product({ code: 'CAB-006', description: 'Cable de red Cat6', unit: 'm', unitPrice: '0.85' }),
      { now: NOW },
    );

    // Act
    const byCode = await list('sop-0');
    const byDescription = await list('CABLE');
    const renamed = await updateProduct(
      user,
      cable.id,
      { ...product({ code: 'CAB-007', description: 'Cable coaxial' }) },
      NOW,
    );
    const afterRename = { old: await list('CAB-006'), fresh: await list('cable coax') };
    await deleteProduct(user, soporte.id);

    // Assess
    expect(byCode.items.map((p) => p.id)).toEqual([soporte.id]);
    expect(byDescription.items.map((p) => p.id)).toEqual([cable.id]);
    expect(renamed).toMatchObject({ version: 2, code: 'CAB-007' });
    expect(afterRename.old.items).toEqual([]);
    expect(afterRename.fresh.items.map((p) => p.id)).toEqual([cable.id]);
    expect(table.get(keys.productCode(TENANT, 'CAB-006'))).toBeUndefined();
    expect(table.get(keys.productCode(TENANT, 'SOP-001'))).toBeUndefined();
    await expect(getProduct(user, soporte.id)).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    expect((await list()).items.map((p) => p.id)).toEqual([cable.id]);
  });

  it('refuses a PUT naming a version that is no longer current', async () => {
    // Prepare
    const saved = await createProduct(user, product(), { now: NOW });
    await updateProduct(user, saved.id, product({ unitPrice: '260' }), NOW);

    // Act
    const stale = updateProduct(user, saved.id, { ...product({ unitPrice: '270' }), version: 1 }, NOW);

    // Assess
    await expect(stale).rejects.toMatchObject({ code: 'PRODUCT_CHANGED' });
    expect((await getProduct(user, saved.id)).unitPrice).toBe('260');
  });

  describe('one word without `by`: by code, then by description', () => {
    const coffee = async () => {
      const save = (code: string, description: string) =>
        createProduct(user, product({ code, description }), { now: NOW });
      return {
        cafe: await save('CAFE', 'Café molido'),
        grano: await save('CAFE-GRANO', 'Grano de exportación'),
        cafetera: await save('CAFETERA-1', 'Cafetera'),
        mezcla: await save('TE', 'Café y té mezcla'),
        verde: await save('TE-VERDE', 'Té verde'),
      };
    };

    /** Every page of a listing, followed by its cursors. */
    async function walk(q: string, limit: number) {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await list(q, { limit, ...(cursor && { cursor }) });
        pages.push(page.items.map((p) => p.code));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && pages.length < 20);
      return pages;
    }

    it('lists the code matches in code order, then the description-only matches, each once', async () => {
      // Prepare
      const saved = await coffee();

      // Act
      const all = await list('cafe');
      const sameWordOtherCase = await list('CaFe');
      const byDescription = await list('cafe', { by: 'description' });
      const byCode = await list('cafe', { by: 'code' });
      const otherTenants = await listProducts(otherTenant, { q: 'cafe', limit: 25 });

      // Assess
      expect(all).toEqual({
        items: [saved.cafe, saved.grano, saved.cafetera, saved.mezcla],
        nextCursor: null,
      });
      expect(sameWordOtherCase.items.map((p) => p.code)).toEqual(['CAFE', 'CAFE-GRANO', 'CAFETERA-1', 'TE']);
      expect(byDescription.items.map((p) => p.code)).toEqual(['CAFE', 'TE', 'CAFETERA-1']);
      expect(byCode.items.map((p) => p.code)).toEqual(['CAFE', 'CAFE-GRANO', 'CAFETERA-1']);
      expect(otherTenants).toEqual({ items: [], nextCursor: null });
    });

    it('pages across the phases: limit counts both, no product twice or left out', async () => {
      // Prepare
      await coffee();

      // Act
      const byOne = await walk('cafe', 1);
      const byTwo = await walk('cafe', 2);
      const byThree = await walk('cafe', 3);

      // Assess: the description phase passes over CAFE and CAFETERA-1 inside its reads, and hands out no
      // cursor when only those are left.
      expect(byOne).toEqual([['CAFE'], ['CAFE-GRANO'], ['CAFETERA-1'], ['TE']]);
      expect(byTwo).toEqual([
        ['CAFE', 'CAFE-GRANO'],
        ['CAFETERA-1', 'TE'],
      ]);
      // The code phase fills the page at its very end: the cursor opens the description phase.
      expect(byThree).toEqual([['CAFE', 'CAFE-GRANO', 'CAFETERA-1'], ['TE']]);
    });

    it('finds a word holding a digit both ways too, and several words by description only', async () => {
      // Prepare
      await createProduct(user, product({ code: 'X-1', description: '100 gramos de café' }), { now: NOW });
      await createProduct(user, product({ code: '100-G', description: 'Bolsa' }), { now: NOW });

      // Act
      const word = await list('100');
      const words = await list('100 g');

      // Assess
      expect(word.items.map((p) => p.code)).toEqual(['100-G', 'X-1']);
      expect(words.items.map((p) => p.code)).toEqual(['X-1']);
    });

    it('reads the description index on past many code matches to fill the page', async () => {
      // Prepare: 30 products found by code, whose descriptions come first in the index too.
      for (let n = 10; n < 40; n++) {
        await createProduct(user, product({ code: `TAL-${n}`, description: `Tal ${n}` }), { now: NOW });
      }
      await createProduct(user, product({ code: 'ZZ', description: 'Tal sin código' }), { now: NOW });
      const lastOfCodes = await list('tal', { limit: 30 });

      // Act
      const next = await list('tal', { limit: 1, cursor: lastOfCodes.nextCursor });

      // Assess
      expect(lastOfCodes.items).toHaveLength(30);
      expect(next).toEqual({ items: [expect.objectContaining({ code: 'ZZ' })], nextCursor: null });
    });

    it('refuses a cursor altered, of another word, of another listing or from another tenant', async () => {
      // Prepare
      await coffee();
      const page = await list('cafe', { limit: 1 });
      const byCode = await list('cafe', { by: 'code', limit: 1 });
      const cursor = page.nextCursor ?? '';
      const [version, payload, mac] = cursor.split('.');
      const forged = Buffer.from(JSON.stringify({ phase: 'description' })).toString('base64url');

      // Act
      const attempts = [
        list('cafe', { limit: 1, cursor: `${version}.${forged}.${mac}` }),
        list('cafet', { limit: 1, cursor }),
        list('cafe', { limit: 1, cursor: byCode.nextCursor }),
        list('cafe', { by: 'code', limit: 1, cursor }),
        listProducts(otherTenant, { q: 'cafe', limit: 1, cursor }),
        list('cafe', { limit: 1, cursor: `${version}.${payload}` }),
      ];

      // Assess
      expect(cursor).toMatch(/^c1\./);
      for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('hands out cursors the query schema accepts, however long the description key', async () => {
      // Prepare: the longest description key (80 letters, of three UTF-8 bytes each) just past a code match.
      const long = `A${'ア'.repeat(400)}`;
      await createProduct(user, product({ code: 'A1', description: 'Algo' }), { now: NOW });
      await createProduct(user, product({ code: 'B1', description: long }), { now: NOW });
      await createProduct(user, product({ code: 'B2', description: long }), { now: NOW });

      // Act
      const first = await list('a', { limit: 2 });

      // Assess
      expect(first.items.map((p) => p.code)).toEqual(['A1', expect.stringMatching(/^B/)]);
      expect(first.nextCursor?.length).toBeLessThanOrEqual(2048);
    });
  });
});
