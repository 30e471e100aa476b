import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import {
  type ApiResponse,
  hkaSandbox,
  issue,
  type Json,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * The catalogue end to end through the local cloud: customers checked with the DGI registry through HKA's
 * ConsultarRucDV (the sandbox's stand-in registry), products, and documents issued by reference that keep
 * what they were issued with.
 */

const TENANT = 0;
let user: Session;
let operator: Session;

const run = randomUUID().slice(0, 6).toUpperCase();

function create(owner: Session, path: string, body: unknown): Promise<ApiResponse> {
  return owner.call('POST', path, { body, headers: { 'idempotency-key': randomUUID() } });
}

/** A juridical RUC of this run, registered in the sandbox's DGI registry under `name`. */
async function registeredRuc(name: string): Promise<{ ruc: string; dv: string }> {
  const ruc = `${Math.floor(100_000 + Math.random() * 800_000)}-1-${2020 + Math.floor(Math.random() * 5)}`;
  return hkaSandbox.registerRuc({ tipoRuc: '2', ruc, razonSocial: name });
}

const customerBody = (identity: { ruc: string; dv: string }, name: string) => ({
  type: 'taxpayer',
  rucType: '2',
  ruc: identity.ruc,
  dv: identity.dv,
  name,
  address: 'Vía España, Edificio Ejemplo, local 3',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  emails: ['compras@ejemplo.com.pa'],
});

async function signedXmlOf(documentId: string): Promise<string> {
  const link = await user.call('GET', `/v1/documents/${documentId}/xml`);
  expect(link.status, link.text).toBe(200);
  return (await fetch(link.body.data.url)).text();
}

beforeAll(async () => {
  [user, operator] = await Promise.all([session(TENANT, 'USER'), session(TENANT, 'OPERATOR')]);
});

describe('catalogue', () => {
  it('issues a document by reference to AUTHORIZED with the catalogue data; a later product edit leaves it unchanged', async () => {
    // Prepare: a customer the DGI knows (its registered name differs in punctuation) and two products.
    const identity = await registeredRuc(`DISTRIBUIDORA CATALOGO ${run} SA`);
    const customer = await create(
      user,
      '/v1/customers',
      customerBody(identity, `Distribuidora Catálogo ${run}, S.A.`),
    );
    expect(customer.status, customer.text).toBe(201);
    expect(customer.body.data).toMatchObject({ dgiName: `DISTRIBUIDORA CATALOGO ${run} SA`, warnings: [] });
    const support = await create(user, '/v1/products', {
      code: `SOP-${run}`,
      description: `Soporte técnico ${run}`,
      unit: 'und',
      unitPrice: '250.00',
      itbmsRate: '7',
    });
    const cable = await create(user, '/v1/products', {
      code: `CAB-${run}`,
      description: `Cable de red ${run}`,
      unit: 'm',
      unitPrice: '0.85',
      itbmsRate: '7',
    });
    expect([support.status, cable.status], support.text + cable.text).toEqual([201, 201]);

    // Act
    const issued = await issue(user, {
      type: 'invoice',
      receiver: { customerId: customer.body.data.id },
      items: [
        { productId: support.body.data.id, quantity: '1' },
        { productId: cable.body.data.id, quantity: '15' },
      ],
      payments: [{ method: 'transfer', amount: '281.14' }],
    });
    expect(issued.status, issued.text).toBe(202);
    const final = await waitForFinal(user, issued.body.data.id);
    const xmlBefore = await signedXmlOf(issued.body.data.id);
    const edited = await user.call('PUT', `/v1/products/${cable.body.data.id}`, {
      body: {
        code: `CAB-${run}`,
        description: `Cable coaxial ${run}`,
        unit: 'm',
        unitPrice: '1.10',
        itbmsRate: '7',
        version: 1,
      },
    });
    const after = await user.call('GET', `/v1/documents/${issued.body.data.id}`);
    const xmlAfter = await signedXmlOf(issued.body.data.id);
    const reissued = await user.call('POST', '/v1/documents/validate', {
      body: {
        type: 'invoice',
        receiver: { customerId: customer.body.data.id },
        items: [{ productId: cable.body.data.id, quantity: '15' }],
        payments: [{ method: 'transfer', amount: '17.66' }],
      },
    });

    // Assess
    expect(final.body.data.status, JSON.stringify(final.body.data.reasons)).toBe('AUTHORIZED');
    expect(final.body.data).toMatchObject({
      customerId: customer.body.data.id,
      receiver: { type: 'taxpayer', ruc: identity.ruc, name: `Distribuidora Catálogo ${run}, S.A.` },
      totals: { net: '262.75', itbms: '18.39', total: '281.14', itemCount: 2 },
    });
    expect(xmlBefore).toContain(`Cable de red ${run}`);
    expect(xmlBefore).toContain(identity.ruc);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.data).toMatchObject({ version: 2, unitPrice: '1.1' });
    expect(after.body.data).toEqual(final.body.data);
    expect(xmlAfter).toBe(xmlBefore);
    expect(xmlAfter).not.toContain(`Cable coaxial ${run}`);
    // A new document by reference takes the product as it is now.
    expect(reissued.body.data).toMatchObject({ valid: true, totals: { net: '16.50', total: '17.66' } });
  });

  it('refuses what the DGI does not know, a second customer with one RUC and unknown references', async () => {
    // Prepare: a well-formed RUC with its right DV that the registry does not have.
    const unknownRuc = `${Math.floor(100_000 + Math.random() * 800_000)}-1-2019`;
    const known = await registeredRuc(`COMERCIAL UNICO ${run} SA`);
    const first = await create(user, '/v1/customers', customerBody(known, `Comercial Único ${run}`));

    // Act
    const notRegistered = await create(
      user,
      '/v1/customers',
      customerBody({ ruc: unknownRuc, dv: computeRucDv(unknownRuc, '2') }, 'Fantasma, S.A.'),
    );
    const duplicate = await create(user, '/v1/customers', customerBody(known, 'Otro nombre'));
    const byOperator = await create(operator, '/v1/customers', customerBody(known, 'Otro nombre'));
    const unknownProduct = await issue(user, {
      type: 'invoice',
      receiver: { customerId: first.body.data.id },
      items: [{ productId: '01KBXC2H5D8K1P4S7V0X3Z6B9E', quantity: '1' }],
      payments: [{ method: 'cash', amount: '1.00' }],
    });

    // Assess
    expect(first.status, first.text).toBe(201);
    expect(notRegistered.status, notRegistered.text).toBe(422);
    expect(notRegistered.body.details).toEqual([
      expect.objectContaining({ path: 'ruc', code: 'RUC_NOT_REGISTERED' }),
    ]);
    expect(duplicate.status, duplicate.text).toBe(409);
    expect(duplicate.body).toMatchObject({
      code: 'CUSTOMER_RUC_TAKEN',
      details: [{ path: 'ruc', hint: first.body.data.id }],
    });
    expect(byOperator.status).toBe(403);
    expect(unknownProduct.status, unknownProduct.text).toBe(422);
    expect(unknownProduct.body.details).toEqual([
      expect.objectContaining({ path: 'items[0].productId', code: 'PRODUCT_NOT_FOUND' }),
    ]);
  });

  it('searches customers by name (accents and case folded) or RUC prefix, and products by code, page by page', async () => {
    // Prepare
    const names = [`Ñandú ${run} Uno`, `ñandu ${run} dos`, `Ñandú ${run} Tres`];
    const created: Json[] = [];
    for (const name of names) {
      const identity = await registeredRuc(name.toUpperCase());
      const response = await create(user, '/v1/customers', customerBody(identity, name));
      expect(response.status, response.text).toBe(201);
      created.push(response.body.data);
    }

    // Act
    const firstPage = await operator.call(
      'GET',
      `/v1/customers?q=${encodeURIComponent(`NANDU ${run}`)}&limit=2`,
    );
    const secondPage = await operator.call(
      'GET',
      `/v1/customers?q=${encodeURIComponent(`NANDU ${run}`)}&limit=2&cursor=${encodeURIComponent(firstPage.body.data.nextCursor)}`,
    );
    const byRuc = await operator.call('GET', `/v1/customers?q=${encodeURIComponent(created[1].ruc)}`);
    const unknownParameter = await operator.call('GET', '/v1/customers?name=x');
    const foreignCursor = await operator.call(
      'GET',
      `/v1/products?limit=2&cursor=${encodeURIComponent(firstPage.body.data.nextCursor)}`,
    );

    // Assess
    expect(firstPage.status, firstPage.text).toBe(200);
    expect(
      [...firstPage.body.data.items, ...secondPage.body.data.items].map((c: Json) => c.name).sort(),
    ).toEqual([...names].sort());
    expect(secondPage.body.data.nextCursor).toBeNull();
    expect(byRuc.body.data.items.map((c: Json) => c.id)).toEqual([created[1].id]);
    expect(unknownParameter.status).toBe(400);
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.code).toBe('INVALID_CURSOR');
  });
});
