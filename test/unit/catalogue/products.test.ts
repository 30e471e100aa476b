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
import { NOW, product, resetWorld, table, user } from './world.ts';

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
});
