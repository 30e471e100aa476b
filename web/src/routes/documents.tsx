import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { DOCUMENT_STATUSES } from './documents-search';

const route = getRouteApi('/documents');

export default function DocumentsPage() {
  const { t, money, dateTime } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [q, setQ] = useState(search.q ?? '');
  const list = useInfiniteQuery({
    queryKey: ['documents', 'list', search],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/documents', {
          params: { query: { ...search, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>{t('documents.title')}</h1>
      <form
        className="filters"
        aria-label={t('documents.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = q.trim();
          void navigate({ search: { ...search, q: trimmed.length >= 2 ? trimmed : undefined } });
        }}
      >
        <label>
          {t('documents.status')}
          <select
            value={search.status ?? ''}
            onChange={(event) => {
              const status = DOCUMENT_STATUSES.find((candidate) => candidate === event.target.value);
              void navigate({ search: { ...search, status } });
            }}
          >
            <option value="">{t('status.all')}</option>
            {DOCUMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('documents.search')}
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} />
        </label>
        <button type="submit">{t('documents.apply')}</button>
      </form>
      {list.isPending ? (
        <p>{t('common.loading')}</p>
      ) : list.isError ? (
        <p role="alert">{list.error.message}</p>
      ) : rows.length === 0 ? (
        <p>{t('documents.empty')}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('documents.number')}</th>
              <th scope="col">{t('documents.receiver')}</th>
              <th scope="col">{t('documents.issuedAt')}</th>
              <th scope="col">{t('documents.status')}</th>
              <th scope="col" className="amount">
                {t('documents.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((document) => (
              <tr key={document.id}>
                <td>
                  <Link to="/documents/$id" params={{ id: document.id }}>
                    {document.branch}-{document.pointOfSale}-{document.number}
                  </Link>
                </td>
                <td>{document.receiver.name ?? ''}</td>
                <td>{dateTime(document.issuedAt)}</td>
                <td>
                  <StatusBadge status={document.status} />
                </td>
                <td className="amount">{money(document.totals.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('documents.more')}
        </button>
      )}
    </>
  );
}
