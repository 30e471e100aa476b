import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomer } from '#shared/catalogue/customers';
import { createProduct } from '#shared/catalogue/products';
import { resolveCatalogueReferences } from '#shared/catalogue/references';
import { newId } from '#shared/data/ids';
import { validateForTenant } from '#shared/documents/preflight';
import { TENANT } from '../app/helpers.ts';
import { NOW, otherTenant, product, resetWorld, taxpayer, user } from './world.ts';

beforeEach(resetWorld);

const payments = [{ method: 'cash', amount: '281.14' }];

describe('documents by reference', () => {
  it('replaces the customer and products by their saved fields, with the overrides given beside the ids', async () => {
    // Prepare
    const customer = await createCustomer(user, taxpayer(), { now: NOW });
    const soporte = await createProduct(user, product(), { now: NOW });
    const cable = await createProduct(
      user,
      product({ code: 'CAB-006', description: 'Cable de red Cat6', unit: 'm', unitPrice: '0.85' }),
      { now: NOW },
    );

    // Act
    const resolved = await resolveCatalogueReferences(TENANT, {
      type: 'invoice',
      receiver: { customerId: customer.id, emails: ['otra@ejemplo.com.pa'] },
      items: [
        { productId: soporte.id, quantity: '1' },
        { productId: cable.id, quantity: '15', description: 'Cable de red Cat6 azul' },
      ],
      payments,
    });

    // Assess
    expect(resolved.errors).toEqual([]);
    expect(resolved.customerId).toBe(customer.id);
    expect(resolved.input).toEqual({
      type: 'invoice',
      receiver: { ...taxpayer(), emails: ['otra@ejemplo.com.pa'] },
      items: [
        { ...product(), quantity: '1' },
        {
          code: 'CAB-006',
          description: 'Cable de red Cat6 azul',
          unit: 'm',
          unitPrice: '0.85',
          itbmsRate: '01',
          quantity: '15',
        },
      ],
      payments,
    });
  });

  it('names every unknown reference on its path, another tenant’s ids included', async () => {
    // Prepare
    const foreign = await createProduct(otherTenant, product(), { now: NOW });

    // Act
    const resolved = await resolveCatalogueReferences(TENANT, {
      type: 'invoice',
      receiver: { customerId: newId(NOW) },
      items: [
        { description: 'Libre', quantity: '1', unitPrice: '1', itbmsRate: '0' },
        { productId: foreign.id, quantity: '1' },
        { productId: 42, quantity: '1' },
      ],
    });

    // Assess
    expect(resolved.errors.map((e) => [e.path, e.code])).toEqual([
      ['receiver.customerId', 'CUSTOMER_NOT_FOUND'],
      ['items[1].productId', 'PRODUCT_NOT_FOUND'],
      ['items[2].productId', 'PRODUCT_NOT_FOUND'],
    ]);
  });

  it('leaves a document without references as it is, without reading the table', async () => {
    // Prepare
    const input = { type: 'invoice', receiver: { type: 'final-consumer' }, items: [] };

    // Act
    const resolved = await resolveCatalogueReferences(TENANT, input);

    // Assess
    expect(resolved.input).toBe(input);
  });

  it('is the first step of the pre-flight: a document by reference validates with the saved data', async () => {
    // Prepare
    const customer = await createCustomer(user, taxpayer(), { now: NOW });
    const soporte = await createProduct(user, product(), { now: NOW });

    // Act
    const report = await validateForTenant(
      user,
      {
        type: 'invoice',
        receiver: { customerId: customer.id },
        items: [{ productId: soporte.id, quantity: '2' }],
        payments: [{ method: 'cash', amount: '535.00' }],
      },
      NOW,
    );
    const unknown = await validateForTenant(
      user,
      {
        type: 'invoice',
        receiver: { customerId: customer.id },
        items: [{ productId: newId(NOW), quantity: '2' }],
        payments,
      },
      NOW,
    );

    // Assess
    expect(report.errors).toEqual([]);
    expect(report.totals).toMatchObject({ net: '500.00', itbms: '35.00', total: '535.00' });
    expect(unknown).toMatchObject({
      valid: false,
      errors: [expect.objectContaining({ path: 'items[0].productId' })],
    });
  });
});
