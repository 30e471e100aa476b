import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/use-session';
import { failureSentence } from '../components/form-errors';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { itbmsPercent, type ProductResource } from './product-form';
import { ProductEditor } from './products-editor';

type Editing = { product: ProductResource | undefined } | undefined;

/** Productos: the tenant's products, searched by description or code; created, edited and deleted by who may. */
export default function ProductsPage() {
  const { t, language, money } = useI18n();
  const session = useSession();
  const canManage = allowed(session, 'catalogue:manage');
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<Editing>(undefined);
  const [confirming, setConfirming] = useState<ProductResource | undefined>(undefined);
  const [notice, setNotice] = useState<string[]>([]);

  const list = useInfiniteQuery({
    queryKey: ['products', 'list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/products', {
          params: { query: { limit: 25, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: async (product: ProductResource) =>
      unwrap(await api.DELETE('/v1/products/{id}', { params: { path: { id: product.id } } })),
    onSuccess: async () => {
      setConfirming(undefined);
      setNotice([t('products.deleted')]);
      await queryClient.invalidateQueries({ queryKey: ['products'] });
    },
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1>{t('products.title')}</h1>
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
              setEditing({ product: undefined });
            }}
          >
            {t('products.new')}
          </button>
        </p>
      )}
      {canManage && editing !== undefined && (
        <ProductEditor
          key={editing.product?.id ?? 'new'}
          editing={editing.product}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) setNotice([t('products.saved')]);
          }}
        />
      )}
      <form
        className="filters"
        aria-label={t('products.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          setQ(typed.trim() === '' ? undefined : typed.trim());
        }}
      >
        <label>
          {t('products.search')}
          <input
            type="search"
            value={typed}
            maxLength={80}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button type="submit">{t('products.apply')}</button>
      </form>
      {confirming && (
        <div className="card" role="alertdialog" aria-labelledby="confirm-delete-product">
          <p id="confirm-delete-product">{t('products.confirmDelete', { name: confirming.description })}</p>
          {remove.error && <p role="alert">{failureSentence(remove.error, language)}</p>}
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(confirming)}
            >
              {t('products.confirm')}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
              {t('products.keep')}
            </button>
          </div>
        </div>
      )}
      {list.isPending ? (
        <p>{t('common.loading')}</p>
      ) : list.isError ? (
        <p role="alert">{failureSentence(list.error, language)}</p>
      ) : rows.length === 0 ? (
        <p>{t('products.empty')}</p>
      ) : (
        <div className="scroll-x">
          <table className="list">
            <caption className="visually-hidden">{t('products.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('products.col.code')}</th>
                <th scope="col">{t('products.col.description')}</th>
                <th scope="col" className="amount">
                  {t('products.col.price')}
                </th>
                <th scope="col">{t('products.col.rate')}</th>
                {canManage && <th scope="col">{t('products.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((product) => (
                <tr key={product.id}>
                  <td>{product.code}</td>
                  <td>{product.description}</td>
                  <td className="amount">{money(String(product.unitPrice))}</td>
                  <td>{itbmsPercent(String(product.itbmsRate))} %</td>
                  {canManage && (
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          className="secondary"
                          aria-label={t('products.editLabel', { name: product.description })}
                          onClick={() => {
                            setNotice([]);
                            setEditing({ product });
                          }}
                        >
                          {t('products.edit')}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={t('products.deleteLabel', { name: product.description })}
                          onClick={() => {
                            remove.reset();
                            setConfirming(product);
                          }}
                        >
                          {t('products.delete')}
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
          {t('products.more')}
        </button>
      )}
    </>
  );
}
