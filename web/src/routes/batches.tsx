import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { useSession } from '../auth/use-session';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { readBatchFile, rememberBatch, sessionBatches } from './batches-file';

const FINAL = new Set(['DONE', 'CANCELLED']);
const POLL_MS = 1500;

/**
 * Lotes: send a file of documents, follow its progress, read each row's errors at their field paths, cancel.
 * The API lists no batches, so this screen keeps the ids of the batches started in this tab, and finds any
 * other by its id.
 */
export default function BatchesPage() {
  const { t } = useI18n();
  const session = useSession();
  const [ids, setIds] = useState(sessionBatches);
  const [shown, setShown] = useState<string | undefined>(ids[0]);
  const [lookup, setLookup] = useState('');
  const open = (id: string) => {
    setIds(rememberBatch(id));
    setShown(id);
  };
  return (
    <>
      <h1>{t('batches.title')}</h1>
      {allowed(session, 'documents:issue') && <UploadForm onCreated={open} />}
      <section className="card" aria-labelledby="find-heading">
        <h2 id="find-heading">{t('batches.find')}</h2>
        <form
          className="filters"
          onSubmit={(event) => {
            event.preventDefault();
            const id = lookup.trim();
            if (id !== '') open(id);
          }}
        >
          <label>
            {t('batches.id')}
            <input value={lookup} onChange={(event) => setLookup(event.target.value)} maxLength={64} />
          </label>
          <button type="submit" className="secondary">
            {t('batches.open')}
          </button>
        </form>
        {ids.length > 0 && (
          <>
            <p className="muted">{t('batches.sessionHint')}</p>
            <ul className="plain">
              {ids.map((id) => (
                <li key={id}>
                  <button
                    type="button"
                    className="link"
                    aria-pressed={id === shown}
                    onClick={() => setShown(id)}
                  >
                    {id}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {shown && <BatchView key={shown} id={shown} />}
    </>
  );
}

function UploadForm({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async (documents: Record<string, unknown>[]) =>
      unwrap(
        await api.POST('/v1/batches', {
          params: { header: idempotencyKey.header() },
          body: { documents },
        }),
      ),
    onSuccess: (batch) => {
      idempotencyKey.answered();
      onCreated(batch.id);
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const details = create.error instanceof ApiError ? create.error.details : [];
  return (
    <form
      className="card"
      aria-labelledby="upload-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!file || create.isPending) return;
        const read = readBatchFile(file.name, await file.text());
        if ('errors' in read) {
          setProblems(read.errors);
          return;
        }
        setProblems([]);
        create.mutate(read.documents);
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
          <p>{create.error.message}</p>
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

function BatchView({ id }: { id: string }) {
  const { t, count, dateTime } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
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
          params: { path: { id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
        }),
      ),
    onSuccess: (updated) => queryClient.setQueryData(['batch', id], updated),
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
                        {row.errors.map((error) => (
                          <li key={`${error.path}-${error.code}`}>
                            <code className="field-path">{error.path}</code> {error.message}
                          </li>
                        ))}
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
