import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { useI18n } from '../i18n/i18n';
import { monthBounds } from './reports-period';

const POLL_MS = 2000;
const KINDS = ['xml', 'pdf'] as const;

/**
 * A ZIP of the archive (authorized XML and CAFE PDF) for a period: the API builds it in the background, this
 * panel follows it until it is ready, then offers its short-lived download link.
 */
export function ExportPanel({ month }: { month: string }) {
  const { t, count, dateTime } = useI18n();
  const [draft, setDraft] = useState(() => monthBounds(month));
  const [kinds, setKinds] = useState<('xml' | 'pdf')[]>(['xml', 'pdf']);
  const [exportId, setExportId] = useState<string | undefined>();
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/exports', {
          params: { header: idempotencyKey.header() },
          body: { from: draft.from, to: draft.to, kinds },
        }),
      ),
    onSuccess: (created) => {
      idempotencyKey.answered();
      setExportId(created.id);
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const job = useQuery({
    queryKey: ['export', exportId],
    queryFn: async () =>
      unwrap(await api.GET('/v1/exports/{id}', { params: { path: { id: exportId as string } } })),
    enabled: exportId !== undefined,
    refetchInterval: (query) =>
      query.state.data && (query.state.data.status === 'DONE' || query.state.data.status === 'FAILED')
        ? false
        : POLL_MS,
  });
  const form = useFormErrors(create.error, {
    from: t('documents.from'),
    to: t('documents.to'),
    kinds: t('reports.kinds'),
  });
  const kindErrors = form.errors.fields.kinds;
  const data = job.data;
  return (
    <section className="card" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('reports.export')}</h2>
      <p className="muted">{t('reports.exportHint')}</p>
      <FormErrorSummary form={form} />
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (!create.isPending) create.mutate();
        }}
      >
        <Field {...form.field('from')}>
          {(props) => (
            <input
              {...props}
              type="date"
              required
              value={draft.from}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('to')}>
          {(props) => (
            <input
              {...props}
              type="date"
              required
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
            />
          )}
        </Field>
        <fieldset className="radio-row" id={form.idOf('kinds')} tabIndex={-1}>
          <legend>{t('reports.kinds')}</legend>
          {KINDS.map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                onChange={(event) =>
                  setKinds(event.target.checked ? [...kinds, kind] : kinds.filter((known) => known !== kind))
                }
              />
              {kind.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.isPending || kinds.length === 0}>
          {t('reports.exportStart')}
        </button>
      </form>
      {kindErrors && <p className="field-error">{kindErrors.join(' · ')}</p>}
      {data && (
        <div role="status" data-testid="export-status">
          <p>
            {t(`exportStatus.${data.status}`)}
            {data.progress.total > 0 &&
              ` · ${t('reports.exportProgress', { done: count(data.progress.done), total: count(data.progress.total) })}`}
          </p>
          {data.status === 'FAILED' && data.failure && <p className="alert">{data.failure.message}</p>}
          {data.status === 'DONE' && data.download && (
            <p>
              <a className="button" href={data.download.url} rel="noopener">
                {t('reports.exportDownload', { documents: count(data.file?.documents ?? 0) })}
              </a>{' '}
              <span className="muted">
                {t('reports.exportExpires', { at: dateTime(data.download.expiresAt) })}
              </span>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
