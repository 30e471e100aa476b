import { describe, expect, it } from 'vitest';
import { customerInputSchema, productInputSchema } from '#shared/catalogue/api';
import {
  type CustomerResource,
  customerBodyOf,
  customerDraftOf,
  emptyCustomerDraft,
} from '../../../web/src/routes/customer-form';
import {
  emptyProductDraft,
  type ProductResource,
  productBodyOf,
  productDraftOf,
} from '../../../web/src/routes/product-form';

const stamps = { version: 3, createdAt: '2026-12-06T15:20:04.118Z', updatedAt: '2026-12-06T15:20:04.118Z' };
const taxpayer: CustomerResource = {
  id: '01KBXC0A7W3F9M2Q8R5T1V6Y4N',
  type: 'taxpayer',
  rucType: '2',
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'DISTRIBUIDORA EJEMPLO, S.A.',
  dgiName: 'DISTRIBUIDORA EJEMPLO S A',
  address: 'Vía España, Edificio Ejemplo, local 3',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['223-4567'],
  emails: ['compras@ejemplo.com.pa', 'pagos@ejemplo.com.pa'],
  country: 'PA',
  ...stamps,
};

describe('the customer form', () => {
  it('edits a customer into the same body it was read from, with the version read', () => {
    // Act
    const body = customerBodyOf(customerDraftOf(taxpayer));

    // Assess
    const { id: _id, dgiName: _dgi, createdAt: _c, updatedAt: _u, ...expected } = taxpayer;
    expect(body).toEqual(expected);
    expect(customerInputSchema.safeParse(body).success).toBe(true);
  });

  it('sends only what each receiver type carries, empty fields left out', () => {
    // Prepare
    const foreign = {
      ...emptyCustomerDraft(),
      type: 'foreign' as const,
      name: 'John Smith',
      ruc: '',
      foreignIdType: 'passport' as const,
      foreignIdNumber: 'X1234567',
      foreignIdCountry: 'Estados Unidos',
      country: 'US',
      locationCode: '8-8-7',
    };
    const consumer = {
      ...emptyCustomerDraft(),
      type: 'final-consumer' as const,
      name: 'Ana Pérez',
      emails: ' ',
    };

    // Act
    const foreignBody = customerBodyOf(foreign);
    const consumerBody = customerBodyOf(consumer);

    // Assess
    expect(foreignBody).toEqual({
      type: 'foreign',
      name: 'John Smith',
      foreignId: { type: 'passport', number: 'X1234567', country: 'Estados Unidos' },
      country: 'US',
    });
    expect(consumerBody).toEqual({ type: 'final-consumer', name: 'Ana Pérez', country: 'PA' });
    expect(customerInputSchema.safeParse(foreignBody).success).toBe(true);
    expect(customerInputSchema.safeParse(consumerBody).success).toBe(true);
  });
});

describe('the product form', () => {
  it('shows the API rate code as a percentage and keeps what the form does not edit on a replace', () => {
    // Prepare
    const product: ProductResource = {
      id: '01KBXC2H5D8K1P4S7V0X3Z6B9E',
      code: 'LIC-001',
      description: 'Licencia anual',
      unit: 'und',
      unitPrice: '250',
      itbmsRate: '03',
      isc: { rate: '0.05' },
      cpbs: { segment: '43', family: '4323', unit: 'und' },
      ...stamps,
    };

    // Act
    const draft = productDraftOf(product);
    const body = productBodyOf(draft);

    // Assess
    expect(draft.itbmsRate).toBe('15');
    expect(body).toEqual({
      code: 'LIC-001',
      description: 'Licencia anual',
      unit: 'und',
      unitPrice: '250',
      itbmsRate: '15',
      isc: { rate: '0.05' },
      cpbs: { segment: '43', family: '4323', unit: 'und' },
      version: 3,
    });
  });

  it('makes a new product body the API schema accepts', () => {
    const body = productBodyOf({
      ...emptyProductDraft(),
      code: ' CAF-01 ',
      description: 'Café molido 500 g',
      unitPrice: '6.50',
    });
    expect(body).toEqual({
      code: 'CAF-01',
      description: 'Café molido 500 g',
      unit: 'und',
      unitPrice: '6.50',
      itbmsRate: '7',
    });
    expect(productInputSchema.safeParse(body).success).toBe(true);
  });
});
