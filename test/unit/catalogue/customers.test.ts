import { beforeEach, describe, expect, it } from 'vitest';
import {
  createCustomer,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
} from '#shared/catalogue/customers';
import { keys } from '#shared/data/keys';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { hkaCredentialsItem } from '../app/fixtures.ts';
import { TENANT } from '../app/helpers.ts';
import { NOW, otherTenant, resetWorld, table, taxpayer, user } from './world.ts';

beforeEach(resetWorld);

const list = (q?: string, extra: Record<string, unknown> = {}) =>
  listCustomers(user, { q, limit: 25, ...extra } as Parameters<typeof listCustomers>[1]);

describe('customers', () => {
  it('saves the customer, its RUC claim and its name-search keys together', async () => {
    // Act
    const saved = await createCustomer(user, taxpayer(), { now: NOW });

    // Assess
    expect(saved).toMatchObject({ ...taxpayer(), id: saved.id, version: 1, dgiName: null });
    expect(table.get(keys.customer(TENANT, saved.id))).toMatchObject({
      gsi5pk: `T#${TENANT}#CUSTOMERS`,
      gsi5sk: `distribuidora pena s a#${saved.id}`,
    });
    expect(table.get(keys.customerRuc(TENANT, '2588017-1-831938'))).toMatchObject({ entryId: saved.id });
    // No HKA credentials: saved, with a warning instead of the DGI's word.
    expect(saved.warnings).toEqual([expect.objectContaining({ path: 'ruc', code: 'RUC_NOT_VERIFIED' })]);
  });

  it('keeps the DGI-registered name beside ours when HKA knows the RUC', async () => {
    // Prepare: credentials and HKA's answer about the RUC, as the verification cache keeps it.
    table.put(hkaCredentialsItem);
    table.put({
      ...keys.rucVerification(TENANT, 'demo', '2', '2588017-1-831938'),
      dv: '20',
      name: 'DISTRIBUIDORA PENA SA',
      affiliated: true,
      checkedAt: NOW.toISOString(),
      expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    });

    // Act
    const saved = await createCustomer(user, taxpayer(), { now: NOW });

    // Assess
    expect(saved.dgiName).toBe('DISTRIBUIDORA PENA SA');
    expect(saved.warnings).toEqual([]);
    expect((await getCustomer(user, saved.id)).dgiName).toBe('DISTRIBUIDORA PENA SA');
  });

  it('refuses a second customer with the same RUC, naming the first', async () => {
    // Prepare
    const first = await createCustomer(user, taxpayer(), { now: NOW });

    // Act
    const second = createCustomer(user, { ...taxpayer(), name: 'Otro nombre' }, { now: NOW });

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({
      code: 'CUSTOMER_RUC_TAKEN',
      details: [{ path: 'ruc', hint: first.id }],
    });
  });

  it('checks the receiver with the document rules: a wrong DV is a 422 on dv', async () => {
    // Act
    const saving = createCustomer(user, { ...taxpayer(), dv: '99' }, { now: NOW });

    // Assess
    await expect(saving).rejects.toBeInstanceOf(ValidationError);
    await expect(saving).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'dv' })] });
    expect(table.partition(`T#${TENANT}#CUSTOMERS#RUC`)).toEqual([]);
  });

  it('accepts a foreign customer without RUC, and a second one (uniqueness is per RUC only)', async () => {
    // Prepare
    const foreigner = {
      type: 'foreign' as const,
      name: 'John Smith',
      foreignId: { type: 'passport' as const, number: 'X1234567', country: 'Estados Unidos' },
      country: 'US',
    };

    // Act
    const a = await createCustomer(user, foreigner, { now: NOW });
    const b = await createCustomer(user, foreigner, { now: NOW });

    // Assess
    expect(a.id).not.toBe(b.id);
    expect(a.warnings).toEqual([]);
  });

  it('moves the RUC claim and search keys when a PUT changes them, and refuses a stale version', async () => {
    // Prepare
    const saved = await createCustomer(user, taxpayer(), { now: NOW });
    const moved = { ...taxpayer(), name: 'Comercial Álvarez', ruc: '155596713-2-2015', dv: '59' };

    // Act
    const updated = await updateCustomer(user, saved.id, { ...moved, version: 1 }, NOW);
    const stale = updateCustomer(user, saved.id, { ...taxpayer(), version: 1 }, NOW);

    // Assess
    expect(updated).toMatchObject({ version: 2, ruc: '155596713-2-2015', name: 'Comercial Álvarez' });
    await expect(stale).rejects.toMatchObject({ code: 'CUSTOMER_CHANGED' });
    expect(table.get(keys.customerRuc(TENANT, '2588017-1-831938'))).toBeUndefined();
    expect(table.get(keys.customerRuc(TENANT, '155596713-2-2015'))).toMatchObject({ entryId: saved.id });
    expect((await list('comercial al')).items.map((c) => c.id)).toEqual([saved.id]);
    expect((await list('distrib')).items).toEqual([]);
    expect((await list('2588')).items).toEqual([]);
  });

  it('replaces the whole customer: a field left out is gone', async () => {
    // Prepare
    const saved = await createCustomer(user, taxpayer(), { now: NOW });
    const { emails: _emails, ...withoutEmails } = taxpayer();

    // Act
    const updated = await updateCustomer(user, saved.id, withoutEmails, NOW);

    // Assess
    expect(updated.emails).toBeUndefined();
    expect((await getCustomer(user, saved.id)).emails).toBeUndefined();
  });

  it('deletes the customer with its RUC claim; the RUC can be used again', async () => {
    // Prepare
    const saved = await createCustomer(user, taxpayer(), { now: NOW });

    // Act
    await deleteCustomer(user, saved.id);

    // Assess
    await expect(getCustomer(user, saved.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(table.partition(`T#${TENANT}#CUSTOMERS#RUC`)).toEqual([]);
    await expect(createCustomer(user, taxpayer(), { now: NOW })).resolves.toMatchObject({ version: 1 });
  });

  it("answers 404 for another tenant's customer and for a malformed id", async () => {
    // Prepare
    const saved = await createCustomer(user, taxpayer(), { now: NOW });

    // Act & Assess
    await expect(getCustomer(otherTenant, saved.id)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    await expect(deleteCustomer(otherTenant, saved.id)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    await expect(getCustomer(user, 'T#x')).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
  });

  it('searches by name prefix (case and accents folded) or by RUC prefix, page by page', async () => {
    // Prepare
    const names = ['Peña Hermanos', 'PENAGOS S.A.', 'Pérez y Cía', 'Zúñiga'];
    const created = [];
    for (const [index, name] of names.entries()) {
      const ruc = `${1000 + index}-1-2020`;
      const { computeRucDv } = await import('#shared/fiscal/ruc-dv');
      created.push(
        await createCustomer(user, { ...taxpayer(), name, ruc, dv: computeRucDv(ruc, '2') }, { now: NOW }),
      );
    }

    // Act
    const byName = await list('pena');
    const firstPage = await list('pe', { limit: 2 });
    const secondPage = await list('pe', { limit: 2, cursor: firstPage.nextCursor });
    const byRuc = await list('1001');
    const forced = await list('PE', { by: 'ruc' });

    // Assess
    expect(byName.items.map((c) => c.name)).toEqual(['Peña Hermanos', 'PENAGOS S.A.']);
    expect(firstPage.items.map((c) => c.name)).toEqual(['Peña Hermanos', 'PENAGOS S.A.']);
    expect(secondPage.items.map((c) => c.name)).toEqual(['Pérez y Cía']);
    expect(byRuc.items.map((c) => c.id)).toEqual([created[1]!.id]);
    expect(forced.items).toEqual([]);
  });

  it('refuses a cursor of another listing', async () => {
    // Prepare
    const { computeRucDv } = await import('#shared/fiscal/ruc-dv');
    for (const ruc of ['2000-1-2020', '2001-1-2020']) {
      await createCustomer(user, { ...taxpayer(), ruc, dv: computeRucDv(ruc, '2') }, { now: NOW });
    }
    const page = await list(undefined, { limit: 1 });

    // Act
    const replayed = list('d', { limit: 1, cursor: page.nextCursor });

    // Assess
    expect(page.nextCursor).toEqual(expect.any(String));
    await expect(replayed).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
