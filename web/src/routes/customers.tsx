import { api, unwrap } from '../api/client';
import { CataloguePage } from '../components/catalogue-page';
import { useI18n } from '../i18n/i18n';
import type { CustomerResource } from './customer-form';
import { CustomerEditor } from './customers-editor';

/** Clientes: the tenant's customers, searched by name or RUC; created, edited and deleted by who may. */
export default function CustomersPage() {
  const { t } = useI18n();
  return (
    <CataloguePage<CustomerResource>
      prefix="customers"
      noun="customer"
      fetchPage={async ({ q, cursor }) =>
        unwrap(
          await api.GET('/v1/customers', {
            params: { query: { limit: 25, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
          }),
        )
      }
      remove={async (customer) =>
        unwrap(await api.DELETE('/v1/customers/{id}', { params: { path: { id: customer.id } } }))
      }
      nameOf={(customer) => customer.name}
      headers={
        <>
          <th scope="col">{t('customers.col.name')}</th>
          <th scope="col">{t('customers.col.id')}</th>
          <th scope="col">{t('customers.col.type')}</th>
          <th scope="col">{t('customers.col.email')}</th>
        </>
      }
      cells={(customer) => (
        <>
          <td>{customer.name}</td>
          <td>
            {customer.ruc
              ? `${customer.ruc}${customer.dv ? ` DV ${customer.dv}` : ''}`
              : (customer.foreignId?.number ?? '')}
          </td>
          <td>{t(`customers.type.${customer.type}`)}</td>
          <td>{(customer.emails ?? []).join(', ')}</td>
        </>
      )}
      Editor={CustomerEditor}
    />
  );
}
