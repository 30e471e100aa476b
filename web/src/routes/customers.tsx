import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/use-session';
import { failureSentence } from '../components/form-errors';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import type { CustomerResource } from './customer-form';
import { CustomerEditor } from './customers-editor';

type Editing = { customer: CustomerResource | undefined } | undefined;

/** Clientes: the tenant's customers, searched by name or RUC; created, edited and deleted by who may. */
export default function CustomersPage() {
  const { t, language } = useI18n();
  const session = useSession();
  const canManage = allowed(session, 'catalogue:manage');
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<Editing>(undefined);
  const [confirming, setConfirming] = useState<CustomerResource | undefined>(undefined);
  const [notice, setNotice] = useState<string[]>([]);

  const list = useInfiniteQuery({
    queryKey: ['customers', 'list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/customers', {
          params: { query: { limit: 25, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: async (customer: CustomerResource) =>
      unwrap(await api.DELETE('/v1/customers/{id}', { params: { path: { id: customer.id } } })),
    onSuccess: async () => {
      setConfirming(undefined);
      setNotice([t('customers.deleted')]);
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1>{t('customers.title')}</h1>
      <div aria-live="polite">
        {notice.length > 0 && (
          <div className="card" role="status">
            {notice.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        )}
      </div>
      {canManage && editing === undefined && (
        <p>
          <button
            type="button"
            onClick={() => {
              setNotice([]);
              setEditing({ customer: undefined });
            }}
          >
            {t('customers.new')}
          </button>
        </p>
      )}
      {canManage && editing !== undefined && (
        <CustomerEditor
          key={editing.customer?.id ?? 'new'}
          editing={editing.customer}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved)
              setNotice([
                t('customers.saved'),
                ...(saved.warnings.length > 0 ? [t('customers.warnings'), ...saved.warnings] : []),
              ]);
          }}
        />
      )}
      <form
        className="filters"
        aria-label={t('customers.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          setQ(typed.trim() === '' ? undefined : typed.trim());
        }}
      >
        <label>
          {t('customers.search')}
          <input
            type="search"
            value={typed}
            maxLength={80}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button type="submit">{t('customers.apply')}</button>
      </form>
      {confirming && (
        <div className="card" role="alertdialog" aria-labelledby="confirm-delete-customer">
          <p id="confirm-delete-customer">{t('customers.confirmDelete', { name: confirming.name })}</p>
          {remove.error && <p role="alert">{failureSentence(remove.error, language)}</p>}
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(confirming)}
            >
              {t('customers.confirm')}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
              {t('customers.keep')}
            </button>
          </div>
        </div>
      )}
      {list.isPending ? (
        <p>{t('common.loading')}</p>
      ) : list.isError ? (
        <p role="alert">{failureSentence(list.error, language)}</p>
      ) : rows.length === 0 ? (
        <p>{t('customers.empty')}</p>
      ) : (
        <div className="scroll-x">
          <table className="list">
            <caption className="visually-hidden">{t('customers.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customers.col.name')}</th>
                <th scope="col">{t('customers.col.id')}</th>
                <th scope="col">{t('customers.col.type')}</th>
                <th scope="col">{t('customers.col.email')}</th>
                {canManage && <th scope="col">{t('customers.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((customer) => (
                <tr key={customer.id}>
                  <td>{customer.name}</td>
                  <td>
                    {customer.ruc
                      ? `${customer.ruc}${customer.dv ? ` DV ${customer.dv}` : ''}`
                      : (customer.foreignId?.number ?? '')}
                  </td>
                  <td>{t(`customers.type.${customer.type}`)}</td>
                  <td>{(customer.emails ?? []).join(', ')}</td>
                  {canManage && (
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          className="secondary"
                          aria-label={t('customers.editLabel', { name: customer.name })}
                          onClick={() => {
                            setNotice([]);
                            setEditing({ customer });
                          }}
                        >
                          {t('customers.edit')}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={t('customers.deleteLabel', { name: customer.name })}
                          onClick={() => {
                            remove.reset();
                            setConfirming(customer);
                          }}
                        >
                          {t('customers.delete')}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('customers.more')}
        </button>
      )}
    </>
  );
}
