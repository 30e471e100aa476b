/**
 * Issuing by reference: a document may name a customer (`receiver: {customerId, …}`) and products
 * (`items[i]: {productId, quantity, …}`) of the tenant instead of spelling them out. Before any check, each
 * reference is replaced by the catalogue entry as it is now, with the fields the document gives next to the
 * id overriding the entry's; the document is then validated, computed and stored like any other, so it keeps
 * a copy (a later edit of the customer or product never changes it). Runs first in the pre-flight, so issuing,
 * `POST /v1/documents/validate` and the preview all accept references.
 */
import type { Finding } from '#shared/data/documents';
import { isId } from '#shared/data/ids';
import type { ProductItem } from './api.ts';
import { type CustomerFields, receiverOf } from './customers.ts';
import { itemOf } from './products.ts';
import { catalogueRepository } from './repository.ts';

export type ResolvedReferences = {
  /** The document with every reference replaced (the input itself when it has none). */
  input: unknown;
  /** The customer the document is issued to, when the receiver named one. */
  customerId?: string;
  /** Unknown ids, on `receiver.customerId` / `items[i].productId`: the document cannot be built. */
  errors: Finding[];
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function unknownReference(path: string, what: 'customer' | 'product'): Finding {
  return {
    path,
    message: `is not a ${what} of the company`,
    code: what === 'customer' ? 'CUSTOMER_NOT_FOUND' : 'PRODUCT_NOT_FOUND',
    severity: 'error',
    hint: what === 'customer' ? 'GET /v1/customers lists them' : 'GET /v1/products lists them',
  };
}

/** A reference is a string id of ours; anything else is unknown (and never reaches a key). */
const referenced = (value: unknown): string | undefined =>
  typeof value === 'string' && isId(value) ? value : undefined;

export async function resolveCatalogueReferences(
  tenantId: string,
  rawInput: unknown,
): Promise<ResolvedReferences> {
  if (!isObject(rawInput)) return { input: rawInput, errors: [] };
  const receiver = rawInput.receiver;
  const items = rawInput.items;
  const receiverRef = isObject(receiver) && 'customerId' in receiver ? receiver : undefined;
  const itemRefs = Array.isArray(items)
    ? items.flatMap((item, index) => (isObject(item) && 'productId' in item ? [{ item, index }] : []))
    : [];
  if (!receiverRef && itemRefs.length === 0) return { input: rawInput, errors: [] };

  const customerId = receiverRef ? referenced(receiverRef.customerId) : undefined;
  const productIds = itemRefs.flatMap(({ item }) => referenced(item.productId) ?? []);
  const [customer, products] = await Promise.all([
    customerId ? catalogueRepository.get<CustomerFields>('customer', tenantId, customerId) : undefined,
    catalogueRepository.getMany<ProductItem>('product', tenantId, productIds),
  ]);

  const errors: Finding[] = [];
  const resolved: Json = { ...rawInput };
  if (receiverRef) {
    const { customerId: _ref, ...overrides } = receiverRef;
    if (customer) resolved.receiver = { ...receiverOf(customer), ...overrides };
    else errors.push(unknownReference('receiver.customerId', 'customer'));
  }
  if (itemRefs.length > 0) {
    const list = [...(items as unknown[])];
    for (const { item, index } of itemRefs) {
      const { productId, ...overrides } = item;
      const id = referenced(productId);
      const product = id ? products.get(id) : undefined;
      if (product) list[index] = { ...itemOf(product), ...overrides };
      else errors.push(unknownReference(`items[${index}].productId`, 'product'));
    }
    resolved.items = list;
  }
  return { input: resolved, errors, ...(customer && { customerId: customer.id }) };
}
