import { api, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { CataloguePage } from './catalogue-page';
import type { CustomerResource } from './customer-form';
import { CustomerEditor } from './customers-editor';

/** Clientes: the tenant's customers, searched by name or RUC; created, edited and deleted by who may. */
export default function CustomersPage() {
  const { t } = useI18n();
  return (
    <CataloguePage<CustomerResource>
      catalogue="customers"
      list={async (query) => unwrap(await api.GET('/v1/customers', { params: { query } }))}
      read={async (id) => unwrap(await api.GET('/v1/customers/{id}', { params: { path: { id } } }))}
      remove={async (id) => unwrap(await api.DELETE('/v1/customers/{id}', { params: { path: { id } } }))}
      nameOf={(customer) => customer.name}
      columns={[
        { header: 'customers.col.name', cell: (customer) => customer.name },
        {
          header: 'customers.col.id',
          cell: (customer) =>
            customer.ruc
              ? `${customer.ruc}${customer.dv ? ` DV ${customer.dv}` : ''}`
              : (customer.foreignId?.number ?? ''),
        },
        { header: 'customers.col.type', cell: (customer) => t(`customers.type.${customer.type}`) },
        { header: 'customers.col.email', cell: (customer) => (customer.emails ?? []).join(', ') },
      ]}
      editor={(editing, onDone) => <CustomerEditor editing={editing} onDone={onDone} />}
    />
  );
}
