import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useRouter } from '@tanstack/react-router';
import { type MouseEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/use-session';
import { failureSentence } from '../components/form-errors';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import {
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  type DocumentsFilterDraft,
  type DocumentsSearch,
  draftOf,
  PAGE_SIZES,
  searchOf,
} from './documents-search';

const route = getRouteApi('/documents');

/** The less used filters stay folded unless one of them is in use. */
function moreFilters(search: DocumentsSearch): boolean {
  return [search.receiverRuc, search.number, search.branch, search.pointOfSale, search.cufe].some(
    (value) => value !== undefined,
  );
}
const DEFAULT_PAGE_SIZE = 25;

export default function DocumentsPage() {
  const { t, language, money, dateTime, count } = useI18n();
  const session = useSession();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const router = useRouter();
  const [draft, setDraft] = useState<DocumentsFilterDraft>(() => draftOf(search));
  const limit = search.limit ?? DEFAULT_PAGE_SIZE;
  const list = useInfiniteQuery({
    queryKey: ['documents', 'list', search],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/documents', {
          params: { query: { ...search, limit, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const followInApp = (event: MouseEvent<HTMLElement>) => {
    const link = event.target instanceof Element ? event.target.closest('a') : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    void router.navigate({ href: link.pathname });
  };
  const text = (name: keyof DocumentsFilterDraft, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input
        {...extra}
        name={name}
        value={draft[name]}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      />
    </label>
  );
  return (
    <>
      <div className="page-head">
        <h1>{t('documents.title')}</h1>
        {allowed(session, 'documents:issue') && (
          <Link to="/documents/new" className="button">
            {t('nav.new')}
          </Link>
        )}
      </div>
      <form
        className="filters card"
        aria-label={t('documents.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          void navigate({ search: searchOf(draft, search) });
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
          {t('documents.type')}
          <select
            value={search.type ?? ''}
            onChange={(event) => {
              const type = DOCUMENT_TYPES.find((candidate) => candidate === event.target.value);
              void navigate({ search: { ...search, type } });
            }}
          >
            <option value="">{t('documents.typeAll')}</option>
            {DOCUMENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`documentType.${type}`)}
              </option>
            ))}
          </select>
        </label>
        {text('from', t('documents.from'), { type: 'date' })}
        {text('to', t('documents.to'), { type: 'date' })}
        {text('q', t('documents.search'), { type: 'search' })}
        <details className="more-filters" open={moreFilters(search)}>
          <summary>{t('documents.moreFilters')}</summary>
          <div className="filters">
            {text('receiverRuc', t('documents.receiverRuc'))}
            {text('number', t('documents.numberFilter'), { inputMode: 'numeric', pattern: '[0-9]{1,10}' })}
            {text('branch', t('documents.branch'), { pattern: '[a-zA-Z0-9]{4}', placeholder: '0001' })}
            {text('pointOfSale', t('documents.pointOfSale'), { pattern: '[0-9]{3}', placeholder: '001' })}
            {text('cufe', t('documents.cufe'))}
          </div>
        </details>
        <label>
          {t('documents.pageSize')}
          <select
            value={limit}
            onChange={(event) => {
              const size = PAGE_SIZES.find((candidate) => String(candidate) === event.target.value);
              void navigate({ search: { ...search, limit: size } });
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="submit">{t('documents.apply')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(draftOf({}));
              void navigate({ search: {} });
            }}
          >
            {t('documents.clear')}
          </button>
        </div>
      </form>
      {list.isPending ? (
        <p>{t('common.loading')}</p>
      ) : list.isError ? (
        <p role="alert">{failureSentence(list.error, language)}</p>
      ) : rows.length === 0 ? (
        <p className="card">{t('documents.empty')}</p>
      ) : (
        <table className="list" aria-label={t('documents.title')}>
          <thead>
            <tr>
              <th scope="col">{t('documents.number')}</th>
              <th scope="col">{t('documents.type')}</th>
              <th scope="col">{t('documents.receiver')}</th>
              <th scope="col">{t('documents.issuedAt')}</th>
              <th scope="col">{t('documents.status')}</th>
              <th scope="col" className="amount">
                {t('documents.total')}
              </th>
            </tr>
          </thead>
          {/* Plain links, followed inside the app by one handler: a router Link per row costs a subscription each,
              and a 100-row page must render without a long task. Enter on a link is a click too. */}
          {/* biome-ignore lint/a11y/useKeyWithClickEvents: the clicks come from the links inside, keyboard included */}
          <tbody onClick={followInApp}>
            {rows.map((document) => (
              <tr key={document.id}>
                <td className="nowrap">
                  <a href={`/documents/${document.id}`}>
                    {document.branch}-{document.pointOfSale}-{document.number}
                  </a>
                </td>
                <td>{t(`documentType.${document.type}`)}</td>
                <td>{document.receiver.name ?? ''}</td>
                <td className="nowrap">{dateTime(document.issuedAt)}</td>
                <td>
                  <StatusBadge status={document.status} />
                </td>
                <td className="amount">{money(document.totals.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="actions">
        {rows.length > 0 && (
          <span className="muted" data-testid="documents-shown">
            {t('documents.shown', { count: count(rows.length) })}
          </span>
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
      </p>
    </>
  );
}
