import * as z from 'zod';
import { documentInputSchema, itemSchema, limits, receiverSchema } from '#shared/fiscal/model';
import { defineOperation } from '#shared/http/operation';

/**
 * The catalogue API: the tenant's customers and products, described once (handlers validate with these
 * schemas and the OpenAPI document is generated from them). A customer is a document's receiver block and a
 * product an item's fields without the sale's quantity: the field schemas are the document model's
 * (shared/fiscal/model.ts), so a customer or product that saves is one a document accepts.
 */

const id = z.string().min(1).max(64).describe('Id (ULID)');
const idParams = z.object({ id });

/**
 * Optimistic concurrency. On PUT: the `version` the client read; a different current version answers 409
 * (`CUSTOMER_CHANGED`/`PRODUCT_CHANGED`). Absent: the last writer wins.
 */
const versionInput = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('PUT only: the version read; 409 when the resource changed since (absent: last writer wins)');

const findingSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  hint: z.string().optional(),
});

const stamps = {
  version: z.number().int().min(1).describe('Incremented by every change'),
  createdAt: z.string(),
  updatedAt: z.string(),
};

// --- customers ---

export const customerInputSchema = receiverSchema.extend({
  name: receiverSchema.shape.name.unwrap(),
  version: versionInput,
});
export type CustomerInput = z.output<typeof customerInputSchema>;

/** The receiver block of a customer, as a document carries it (no id, version or DGI name). */
export type CustomerReceiver = Omit<CustomerInput, 'version'>;

export const customerResourceSchema = receiverSchema.extend({
  id: z.string(),
  name: z.string(),
  dgiName: z
    .string()
    .nullable()
    .describe(
      'The name registered at the DGI (HKA ConsultarRucDV), kept beside ours; null when not verified (not a taxpayer or government, or HKA did not answer)',
    ),
  ...stamps,
});
export type CustomerResource = z.output<typeof customerResourceSchema>;

const customerSaved = customerResourceSchema.extend({
  warnings: z
    .array(findingSchema)
    .describe('What the DGI check found without refusing (HKA unavailable, a name or DV differing)'),
});

export const SEARCH_BY_CUSTOMER = ['name', 'ruc'] as const;
export const SEARCH_BY_PRODUCT = ['description', 'code'] as const;

const searchText = z.string().trim().min(1).max(80);
const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().max(2048).optional();

export const listCustomersQuery = z.object({
  q: searchText
    .optional()
    .describe(
      'Prefix of the name (case-, accent- and punctuation-insensitive) or of the RUC; without it every customer, by name',
    ),
  by: z
    .enum(SEARCH_BY_CUSTOMER)
    .optional()
    .describe('What `q` is a prefix of; default: `ruc` when q starts with a digit, otherwise `name`'),
  limit,
  cursor,
});

// --- products ---

export const productInputSchema = itemSchema
  .pick({
    description: true,
    unit: true,
    unitPrice: true,
    itbmsRate: true,
    isc: true,
    oti: true,
    cpbs: true,
    gtin: true,
    info: true,
  })
  .extend({ code: itemSchema.shape.code.unwrap(), version: versionInput });
export type ProductInput = z.output<typeof productInputSchema>;

/** The item fields of a product, as a document carries them (the sale adds the quantity). */
export type ProductItem = Omit<ProductInput, 'version'>;

export const productResourceSchema = productInputSchema.omit({ version: true }).extend({
  id: z.string(),
  ...stamps,
});
export type ProductResource = z.output<typeof productResourceSchema>;

export const listProductsQuery = z.object({
  q: searchText
    .optional()
    .describe(
      'Prefix of the code (case-insensitive) or of the description (case-, accent- and punctuation-insensitive); without it every product, by description',
    ),
  by: z
    .enum(SEARCH_BY_PRODUCT)
    .optional()
    .describe(
      'What `q` is a prefix of. Default: one word is looked up as both, first the products whose code starts with it, then those whose description does and whose code does not (each listed once, one cursor across both); several words, `description`',
    ),
  limit,
  cursor,
});

// --- references inside a document (issue, validate, preview) ---

/** `receiver: {customerId, …}`: the customer's receiver block, with any field given here overriding it. */
export const receiverReferenceSchema = receiverSchema
  .partial()
  .extend({ customerId: id.describe('A customer of the tenant (GET /v1/customers)') })
  .describe(
    'By reference: the customer as saved now (the document keeps a copy), fields given here override',
  );

/** `items[i]: {productId, quantity, …}`: the product's item fields, with any field given here overriding them. */
export const itemReferenceSchema = itemSchema
  .partial()
  .extend({
    productId: id.describe('A product of the tenant (GET /v1/products)'),
    quantity: itemSchema.shape.quantity,
  })
  .describe('By reference: the product as saved now (the document keeps a copy), fields given here override');

/**
 * The issuing body as the API documents it: the document model with each receiver and item given in full or
 * by reference. Validation stays the service's (`bodyValidation: 'service'`), after references are resolved.
 */
export const documentRequestSchema = documentInputSchema.extend({
  receiver: z.union([receiverSchema, receiverReferenceSchema]),
  items: z
    .array(z.union([itemSchema, itemReferenceSchema]))
    .min(1)
    .max(limits.items),
});

// --- examples ---

const exampleCustomer = {
  id: '01KBXC0A7W3F9M2Q8R5T1V6Y4N',
  type: 'taxpayer' as const,
  rucType: '2' as const,
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'DISTRIBUIDORA EJEMPLO, S.A.',
  dgiName: 'DISTRIBUIDORA EJEMPLO S A',
  address: 'Vía España, Edificio Ejemplo, local 3',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  phones: ['223-4567'],
  emails: ['compras@ejemplo.com.pa'],
  country: 'PA',
  version: 1,
  createdAt: '2026-12-06T15:20:04.118Z',
  updatedAt: '2026-12-06T15:20:04.118Z',
};
const {
  id: _customerId,
  dgiName: _dgiName,
  version: _cv,
  createdAt: _cc,
  updatedAt: _cu,
  ...customerBody
} = exampleCustomer;

const exampleProduct = {
  id: '01KBXC2H5D8K1P4S7V0X3Z6B9E',
  code: 'SOP-001',
  description: 'Servicio de soporte técnico mensual',
  unit: 'und',
  unitPrice: '250',
  itbmsRate: '01',
  version: 1,
  createdAt: '2026-12-06T15:21:10.402Z',
  updatedAt: '2026-12-06T15:21:10.402Z',
};
const productBody = {
  code: 'SOP-001',
  description: 'Servicio de soporte técnico mensual',
  unit: 'und',
  unitPrice: '250.00',
  itbmsRate: '7',
};

const replaceNote =
  'PUT replaces the whole resource: a field left out is removed. Send the `version` you read to be refused (409) if someone changed it meanwhile.';

export const customerOperations = {
  createCustomer: defineOperation({
    operationId: 'createCustomer',
    method: 'post',
    path: '/v1/customers',
    summary: 'Create a customer',
    description:
      'A receiver as a document carries it, checked by the same rules (RUC and DV, location, foreign id). One customer per RUC (409 `CUSTOMER_RUC_TAKEN`). A taxpayer or government is checked with the DGI through HKA (ConsultarRucDV) when the company has HKA credentials: a RUC the DGI does not have is a 422 on `ruc`; an HKA that does not answer never blocks (a warning); the DGI name is kept as `dgiName`.',
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    body: customerInputSchema,
    idempotent: true,
    successStatus: 201,
    response: customerSaved,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: customerBody, response: { ...exampleCustomer, warnings: [] } },
  }),
  listCustomers: defineOperation({
    operationId: 'listCustomers',
    method: 'get',
    path: '/v1/customers',
    summary: 'List or search customers',
    description:
      'By name (without `q`, or `q` a name prefix) or by RUC (`q` a RUC prefix); pass `nextCursor` as `cursor` for the next page.',
    tags: ['catalogue'],
    permission: 'catalogue:read',
    query: listCustomersQuery,
    successStatus: 200,
    response: z.object({ items: z.array(customerResourceSchema), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 422],
    example: { query: { q: 'distrib', limit: 25 }, response: { items: [exampleCustomer], nextCursor: null } },
  }),
  getCustomer: defineOperation({
    operationId: 'getCustomer',
    method: 'get',
    path: '/v1/customers/{id}',
    summary: 'Get a customer',
    tags: ['catalogue'],
    permission: 'catalogue:read',
    params: idParams,
    successStatus: 200,
    response: customerResourceSchema,
    errors: [401, 403, 404],
    example: { params: { id: exampleCustomer.id }, response: exampleCustomer },
  }),
  updateCustomer: defineOperation({
    operationId: 'updateCustomer',
    method: 'put',
    path: '/v1/customers/{id}',
    summary: 'Replace a customer',
    description: `${replaceNote} Documents already issued keep the receiver they were issued to.`,
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    params: idParams,
    body: customerInputSchema,
    successStatus: 200,
    response: customerSaved,
    errors: [400, 401, 403, 404, 409, 413, 415, 422],
    example: {
      params: { id: exampleCustomer.id },
      body: { ...customerBody, phones: ['223-4568'], version: 1 },
      response: { ...exampleCustomer, phones: ['223-4568'], version: 2, warnings: [] },
    },
  }),
  deleteCustomer: defineOperation({
    operationId: 'deleteCustomer',
    method: 'delete',
    path: '/v1/customers/{id}',
    summary: 'Delete a customer (documents issued to it keep their receiver)',
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    params: idParams,
    successStatus: 200,
    response: z.object({ deleted: z.literal(true) }),
    errors: [401, 403, 404],
    example: { params: { id: exampleCustomer.id }, response: { deleted: true } },
  }),
};

export const productOperations = {
  createProduct: defineOperation({
    operationId: 'createProduct',
    method: 'post',
    path: '/v1/products',
    summary: 'Create a product',
    description:
      'An item as a document carries it, without the quantity, checked by the same rules (DGI unit and CPBS catalogues, ITBMS rate, ISC/OTI). One product per code, case-insensitive (409 `PRODUCT_CODE_TAKEN`).',
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    body: productInputSchema,
    idempotent: true,
    successStatus: 201,
    response: productResourceSchema,
    errors: [400, 401, 403, 409, 413, 415, 422],
    example: { body: productBody, response: exampleProduct },
  }),
  listProducts: defineOperation({
    operationId: 'listProducts',
    method: 'get',
    path: '/v1/products',
    summary: 'List or search products',
    description:
      'By description (without `q`, or `q` a description prefix) or by code (`q` a code prefix); one word without `by` finds both, code matches first. Pass `nextCursor` as `cursor` for the next page.',
    tags: ['catalogue'],
    permission: 'catalogue:read',
    query: listProductsQuery,
    successStatus: 200,
    response: z.object({ items: z.array(productResourceSchema), nextCursor: z.string().nullable() }),
    errors: [400, 401, 403, 422],
    example: { query: { q: 'SOP-0', limit: 25 }, response: { items: [exampleProduct], nextCursor: null } },
  }),
  getProduct: defineOperation({
    operationId: 'getProduct',
    method: 'get',
    path: '/v1/products/{id}',
    summary: 'Get a product',
    tags: ['catalogue'],
    permission: 'catalogue:read',
    params: idParams,
    successStatus: 200,
    response: productResourceSchema,
    errors: [401, 403, 404],
    example: { params: { id: exampleProduct.id }, response: exampleProduct },
  }),
  updateProduct: defineOperation({
    operationId: 'updateProduct',
    method: 'put',
    path: '/v1/products/{id}',
    summary: 'Replace a product',
    description: `${replaceNote} Documents already issued keep the items they were issued with.`,
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    params: idParams,
    body: productInputSchema,
    successStatus: 200,
    response: productResourceSchema,
    errors: [400, 401, 403, 404, 409, 413, 415, 422],
    example: {
      params: { id: exampleProduct.id },
      body: { ...productBody, unitPrice: '275.00', version: 1 },
      response: { ...exampleProduct, unitPrice: '275', version: 2 },
    },
  }),
  deleteProduct: defineOperation({
    operationId: 'deleteProduct',
    method: 'delete',
    path: '/v1/products/{id}',
    summary: 'Delete a product (documents issued with it keep their items)',
    tags: ['catalogue'],
    permission: 'catalogue:manage',
    params: idParams,
    successStatus: 200,
    response: z.object({ deleted: z.literal(true) }),
    errors: [401, 403, 404],
    example: { params: { id: exampleProduct.id }, response: { deleted: true } },
  }),
};
