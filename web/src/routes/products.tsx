import { api, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { CataloguePage } from './catalogue-page';
import { itbmsPercent, type ProductResource } from './product-form';
import { ProductEditor } from './products-editor';

/** Productos: the tenant's products, searched by description or code; created, edited and deleted by who may. */
export default function ProductsPage() {
  const { money } = useI18n();
  return (
    <CataloguePage<ProductResource>
      catalogue="products"
      list={async (query) => unwrap(await api.GET('/v1/products', { params: { query } }))}
      read={async (id) => unwrap(await api.GET('/v1/products/{id}', { params: { path: { id } } }))}
      remove={async (id) => unwrap(await api.DELETE('/v1/products/{id}', { params: { path: { id } } }))}
      nameOf={(product) => product.description}
      columns={[
        { header: 'products.col.code', cell: (product) => product.code },
        { header: 'products.col.description', cell: (product) => product.description },
        { header: 'products.col.price', amount: true, cell: (product) => money(String(product.unitPrice)) },
        { header: 'products.col.rate', cell: (product) => `${itbmsPercent(String(product.itbmsRate))} %` },
      ]}
      editor={(editing, onDone) => <ProductEditor editing={editing} onDone={onDone} />}
    />
  );
}
