import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { useSession } from '../auth/use-session';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { readBatchFile, rowErrorPlace } from './batches-file';
import { putPresigned } from './batches-upload';

const FINAL = new Set(['DONE', 'CANCELLED']);
const POLL_MS = 1500;
const LIST_POLL_MS = 5000;
/** The list's badge colours: the document badges' (the status is always written out too). */
const BADGE = { VALIDATING: 'processing', ISSUING: 'processing', DONE: 'authorized', CANCELLED: 'cancelled' };

const route = getRouteApi('/batches');

/**
 * Lotes: send a file of documents (a CSV is uploaded as it is, through the API's presigned upload; JSON is
 * sent as rows), the tenant's batches newest first, and one batch's progress and rows with each error where
 * it is (the CSV's line and column, or the document's field path), with cancel.
 */
export default function BatchesPage() {
  const { t } = useI18n();
  const session = useSession();
  const { batch: shown } = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  return (
    <>
      <h1>{t('batches.title')}</h1>
      {allowed(session, 'documents:issue') && (
        <UploadForm
          onCreated={(id) => {
            void queryClient.invalidateQueries({ queryKey: ['batches'] });
            void navigate({ search: { batch: id } });
          }}
        />
      )}
      <BatchList shown={shown} />
      {shown && <BatchView key={shown} id={shown} />}
    </>
  );
}

type Sending = { step: 'upload'; sent: number } | { step: 'create' };

function UploadForm({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  const [sending, setSending] = useState<Sending | undefined>();
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async (chosen: File) => {
      const read = readBatchFile(chosen.name, await chosen.text());
      if ('errors' in read) {
        setProblems(read.errors);
        return undefined;
      }
      setProblems([]);
      let body: { documents: Record<string, unknown>[] } | { uploadId: string };
      if (read.source === 'csv') {
        setSending({ step: 'upload', sent: 0 });
        const upload = unwrap(await api.POST('/v1/batch-uploads'));
        await putPresigned(upload.url, chosen, upload.contentType, (sent) =>
          setSending({ step: 'upload', sent }),
        );
        body = { uploadId: upload.uploadId };
      } else body = { documents: read.documents };
      setSending({ step: 'create' });
      return unwrap(await api.POST('/v1/batches', { params: { header: idempotencyKey.header() }, body }));
    },
    onSuccess: (batch) => {
      if (!batch) return;
      idempotencyKey.answered();
      onCreated(batch.id);
    },
    onError: (error) => idempotencyKey.answered(error),
    onSettled: () => setSending(undefined),
  });
  const details = create.error instanceof ApiError ? create.error.details : [];
  return (
    <form
      className="card"
      aria-labelledby="upload-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (file && !create.isPending) create.mutate(file);
      }}
    >
      <h2 id="upload-heading">{t('batches.upload')}</h2>
      <p className="muted">{t('batches.uploadHint')}</p>
      <div className="filters">
        <label>
          {t('batches.file')}
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            required
            onChange={(event) => setFile(event.target.files?.[0])}
          />
        </label>
        <button type="submit" disabled={create.isPending}>
          {t('batches.send')}
        </button>
      </div>
      {sending && (
        <label className="field">
          {sending.step === 'upload'
            ? t('batches.uploading', { percent: Math.round(sending.sent * 100) })
            : t('batches.creating')}
          <progress max={100} value={sending.step === 'upload' ? Math.round(sending.sent * 100) : 100} />
        </label>
      )}
      {problems.length > 0 && (
        <div role="alert" className="alert">
          <p>{t('batches.fileProblems')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {create.isError && (
        <div role="alert" className="alert">
          <p>{create.error instanceof ApiError ? create.error.message : t('batches.uploadFailed')}</p>
          {details.length > 0 && (
            <ul>
              {details.map((detail) => (
                <li key={`${detail.path}-${detail.message}`}>
                  <code className="field-path">{detail.path}</code> {detail.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

/** The tenant's batches, newest first, a page at a time; each links to its progress and rows. */
function BatchList({ shown }: { shown: string | undefined }) {
  const { t, count, dateTime } = useI18n();
  const batches = useInfiniteQuery({
    queryKey: ['batches'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/batches', {
          params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Batches still running keep their counts moving: the list follows them, slower than the batch shown.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((batch) => !FINAL.has(batch.status)))
        ? LIST_POLL_MS
        : false,
  });
  const items = batches.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="list-heading">
      <h2 id="list-heading">{t('batches.list')}</h2>
      {batches.isPending ? (
        <p>{t('common.loading')}</p>
      ) : batches.isError ? (
        <p role="alert">{batches.error.message}</p>
      ) : items.length === 0 ? (
        <p>{t('batches.empty')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="scroll-x" tabIndex={0} aria-label={t('batches.list')}>
          <table className="list">
            <caption className="visually-hidden">{t('batches.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.createdAt')}</th>
                <th scope="col">{t('batches.status')}</th>
                <th scope="col">{t('batches.source')}</th>
                <th scope="col">{t('batches.total')}</th>
                <th scope="col">{t('batches.issued')}</th>
                <th scope="col">{t('batches.invalid')}</th>
                <th scope="col">{t('batches.failed')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((batch) => (
                <tr key={batch.id} data-testid={`batch-item-${batch.id}`}>
                  <td>
                    <Link
                      to="/batches"
                      search={{ batch: batch.id }}
                      aria-current={batch.id === shown ? 'true' : undefined}
                    >
                      {dateTime(batch.createdAt)}
                    </Link>
                  </td>
                  <td>
                    <span className={`badge badge-${BADGE[batch.status]}`}>
                      {t(`batchStatus.${batch.status}`)}
                    </span>
                  </td>
                  <td>{batch.source.toUpperCase()}</td>
                  <td>{count(batch.total)}</td>
                  <td>{count(batch.counts.issued)}</td>
                  <td>{count(batch.counts.invalid)}</td>
                  <td>{count(batch.counts.failed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {batches.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={batches.isFetchingNextPage}
          onClick={() => void batches.fetchNextPage()}
        >
          {t('batches.more')}
        </button>
      )}
    </section>
  );
}

function BatchView({ id }: { id: string }) {
  const { t, count, dateTime } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
  const idempotencyKey = useIdempotencyKey();
  const batch = useQuery({
    queryKey: ['batch', id],
    queryFn: async () => unwrap(await api.GET('/v1/batches/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && FINAL.has(query.state.data.status) ? false : POLL_MS),
    retry: false,
  });
  const rows = useQuery({
    queryKey: ['batch', id, 'rows', batch.data?.updatedAt],
    queryFn: async () =>
      unwrap(await api.GET('/v1/batches/{id}/rows', { params: { path: { id }, query: { limit: 100 } } })),
    enabled: batch.isSuccess && batch.data.status !== 'VALIDATING',
    placeholderData: (previous) => previous,
  });
  const cancel = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/batches/{id}/cancel', {
          params: { path: { id }, header: idempotencyKey.header() },
        }),
      ),
    onSuccess: (updated) => {
      idempotencyKey.answered();
      queryClient.setQueryData(['batch', id], updated);
      void queryClient.invalidateQueries({ queryKey: ['batches'] });
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  if (batch.isPending) return <p>{t('common.loading')}</p>;
  if (batch.isError) return <p role="alert">{batch.error.message}</p>;
  const data = batch.data;
  const percent = Math.round(data.progress * 100);
  return (
    <section className="card" aria-labelledby="batch-heading" data-testid="batch">
      <div className="page-head">
        <h2 id="batch-heading">{t('batches.batch', { id })}</h2>
        {allowed(session, 'documents:issue') && !FINAL.has(data.status) && (
          <button
            type="button"
            className="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            {t('batches.cancel')}
          </button>
        )}
      </div>
      {cancel.isError && <p role="alert">{cancel.error.message}</p>}
      <p>
        <strong data-testid="batch-status">{t(`batchStatus.${data.status}`)}</strong> ·{' '}
        {t('batches.created', { at: dateTime(data.createdAt) })}
      </p>
      <label className="field">
        {t('batches.progress', { percent })}
        <progress max={100} value={percent} />
      </label>
      <dl className="totals" aria-label={t('batches.counts')}>
        <dt>{t('batches.total')}</dt>
        <dd>{count(data.total)}</dd>
        <dt>{t('batches.issued')}</dt>
        <dd data-testid="batch-issued">{count(data.counts.issued)}</dd>
        <dt>{t('batches.invalid')}</dt>
        <dd data-testid="batch-invalid">{count(data.counts.invalid)}</dd>
        <dt>{t('batches.failed')}</dt>
        <dd>{count(data.counts.failed)}</dd>
        <dt>{t('batches.pending')}</dt>
        <dd>{count(data.counts.pending)}</dd>
        <dt>{t('batches.skipped')}</dt>
        <dd>{count(data.counts.skipped)}</dd>
      </dl>
      {rows.data && rows.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="list">
            <caption>{t('batches.rows')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.row')}</th>
                <th scope="col">{t('batches.reference')}</th>
                <th scope="col">{t('batches.rowStatus')}</th>
                <th scope="col">{t('batches.document')}</th>
                <th scope="col">{t('batches.errors')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((row) => (
                <tr key={row.row} data-testid={`batch-row-${row.row}`}>
                  <td>{row.row}</td>
                  <td>{row.reference}</td>
                  <td>{t(`batchRowStatus.${row.status}`)}</td>
                  <td>
                    {row.documentId && (
                      <>
                        <Link to="/documents/$id" params={{ id: row.documentId }}>
                          {row.number ?? row.documentId}
                        </Link>{' '}
                        {row.documentStatus && <StatusBadge status={row.documentStatus} />}
                      </>
                    )}
                  </td>
                  <td>
                    {row.errors.length > 0 && (
                      <ul className="plain">
                        {row.errors.map((error) => {
                          const place = rowErrorPlace(data.source, error);
                          return (
                            <li key={`${error.row}-${error.path}-${error.code}`}>
                              <code className="field-path">
                                {'line' in place
                                  ? t('batches.csvPlace', { line: place.line, column: place.column })
                                  : place.path}
                              </code>{' '}
                              {error.message}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.data?.nextCursor && <p className="muted">{t('batches.moreRows')}</p>}
    </section>
  );
}
