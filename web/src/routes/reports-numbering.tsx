import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { useI18n } from '../i18n/i18n';
import { isFile, ReportDownloads } from './reports-file';

type Series = { branch: string; pointOfSale: string };

/** The numbering audit of one point of sale: every number's state, the gaps with their reason, duplicates. */
export function NumberingReport() {
  const { t, count } = useI18n();
  const [draft, setDraft] = useState<Series>({ branch: '', pointOfSale: '' });
  const [series, setSeries] = useState<Series | undefined>();
  const audit = useQuery({
    queryKey: ['reports', 'numbering', series],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/reports/numbering', {
          params: { query: { ...(series as Series), format: 'json' } },
        }),
      ),
    enabled: series !== undefined,
    retry: false,
  });
  const data = audit.data && !isFile(audit.data) ? audit.data : undefined;
  const form = useFormErrors(audit.error, {
    branch: t('documents.branch'),
    pointOfSale: t('documents.pointOfSale'),
  });
  return (
    <section className="card" aria-labelledby="numbering-heading">
      <h2 id="numbering-heading">{t('reports.numbering')}</h2>
      <p className="muted">{t('reports.numberingHint')}</p>
      <FormErrorSummary form={form} />
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setSeries({ branch: draft.branch.trim(), pointOfSale: draft.pointOfSale.trim() });
        }}
      >
        <Field {...form.field('branch')}>
          {(props) => (
            <input
              {...props}
              required
              placeholder="0001"
              value={draft.branch}
              onChange={(event) => setDraft({ ...draft, branch: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('pointOfSale')}>
          {(props) => (
            <input
              {...props}
              required
              placeholder="001"
              value={draft.pointOfSale}
              onChange={(event) => setDraft({ ...draft, pointOfSale: event.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="secondary">
          {t('reports.show')}
        </button>
      </form>
      {series && (
        <ReportDownloads
          fetchFile={async (format) => {
            const file = unwrap(
              await api.GET('/v1/reports/numbering', { params: { query: { ...series, format } } }),
            );
            if (!isFile(file)) throw new Error(t('common.error'));
            return file;
          }}
        />
      )}
      {data && (
        <>
          <p>
            {data.allocated
              ? t('reports.allocated', { from: data.allocated.from, to: data.allocated.to })
              : t('reports.noneAllocated')}
          </p>
          <p>
            {Object.entries(data.counts)
              .filter(([, value]) => value > 0)
              .map(([state, value]) => `${state}: ${count(value)}`)
              .join(' · ')}
          </p>
          {data.duplicates.length > 0 && (
            <p role="alert" className="alert">
              {t('reports.duplicates', {
                numbers: data.duplicates.map((duplicate) => duplicate.number).join(', '),
              })}
            </p>
          )}
          {data.gaps.length === 0 ? (
            <p className="ok">{t('reports.noGaps')}</p>
          ) : (
            <table className="list">
              <caption>{t('reports.gaps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('documents.number')}</th>
                  <th scope="col">{t('documents.status')}</th>
                  <th scope="col">{t('reports.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {data.gaps.map((gap) => (
                  <tr key={gap.number}>
                    <td>{gap.number}</td>
                    <td>{gap.state}</td>
                    <td>{gap.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
