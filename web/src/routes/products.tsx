import { api, unwrap } from '../api/client';
import { CataloguePage } from '../components/catalogue-page';
import { useI18n } from '../i18n/i18n';
import { itbmsPercent, type ProductResource } from './product-form';
import { ProductEditor } from './products-editor';

/** Productos: the tenant's products, searched by description or code; created, edited and deleted by who may. */
export default function ProductsPage() {
  const { t, money } = useI18n();
  return (
    <CataloguePage<ProductResource>
      prefix="products"
      noun="product"
      fetchPage={async ({ q, cursor }) =>
        unwrap(
          await api.GET('/v1/products', {
            params: { query: { limit: 25, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
          }),
        )
      }
      remove={async (product) =>
        unwrap(await api.DELETE('/v1/products/{id}', { params: { path: { id: product.id } } }))
      }
      nameOf={(product) => product.description}
      headers={
        <>
          <th scope="col">{t('products.col.code')}</th>
          <th scope="col">{t('products.col.description')}</th>
          <th scope="col" className="amount">
            {t('products.col.price')}
          </th>
          <th scope="col">{t('products.col.rate')}</th>
        </>
      }
      cells={(product) => (
        <>
          <td>{product.code}</td>
          <td>{product.description}</td>
          <td className="amount">{money(String(product.unitPrice))}</td>
          <td>{itbmsPercent(String(product.itbmsRate))} %</td>
        </>
      )}
      Editor={ProductEditor}
    />
  );
}
