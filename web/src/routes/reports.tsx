import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { failureSentence } from '../components/form-errors';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DOCUMENT_TYPES } from './documents-search';
import { ExportPanel } from './reports-export';
import { isFile, ReportDownloads } from './reports-file';
import { sumAmounts } from './reports-money';
import { NumberingReport } from './reports-numbering';
import { panamaMonth } from './reports-period';

/** The type's name in the person's language (the code when the API adds a type this console does not know). */
function useTypeLabel(): (type: string) => string | undefined {
  const { t } = useI18n();
  return (type) => {
    const known = DOCUMENT_TYPES.find((candidate) => candidate === type);
    return known ? t(`documentType.${known}`) : undefined;
  };
}

type Period = { month: string; branch?: string; pointOfSale?: string };

/** The optional series filters: the browser checks their shape before the API does. */
const SERIES_INPUTS = [
  { name: 'branch', label: 'documents.branch', pattern: '[a-zA-Z0-9]{4}', placeholder: '0001' },
  { name: 'pointOfSale', label: 'documents.pointOfSale', pattern: '[0-9]{3}', placeholder: '001' },
] as const satisfies readonly {
  name: 'branch' | 'pointOfSale';
  label: MessageKey;
  pattern: string;
  placeholder: string;
}[];

/** Reportes: the month's sales book and ITBMS summary, the numbering audit, and ZIP exports of the archive. */
export default function ReportsPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ month: panamaMonth(new Date()), branch: '', pointOfSale: '' });
  const [period, setPeriod] = useState<Period>({ month: draft.month });
  return (
    <>
      <h1>{t('reports.title')}</h1>
      <form
        className="filters card"
        aria-label={t('reports.period')}
        onSubmit={(event) => {
          event.preventDefault();
          setPeriod({
            month: draft.month,
            ...(draft.branch.trim() ? { branch: draft.branch.trim() } : {}),
            ...(draft.pointOfSale.trim() ? { pointOfSale: draft.pointOfSale.trim() } : {}),
          });
        }}
      >
        <label>
          {t('reports.month')}
          <input
            type="month"
            required
            value={draft.month}
            onChange={(event) => setDraft({ ...draft, month: event.target.value })}
          />
        </label>
        {SERIES_INPUTS.map(({ name, label, pattern, placeholder }) => (
          <label key={name}>
            {t(label)}
            <input
              pattern={pattern}
              placeholder={placeholder}
              value={draft[name]}
              onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
            />
          </label>
        ))}
        <button type="submit">{t('reports.show')}</button>
      </form>
      <SalesBook period={period} />
      <ItbmsSummary period={period} />
      <NumberingReport />
      <ExportPanel key={period.month} month={period.month} />
    </>
  );
}

function SalesBook({ period }: { period: Period }) {
  const { t, language, money, date, count } = useI18n();
  const typeLabel = useTypeLabel();
  const book = useQuery({
    queryKey: ['reports', 'sales-book', period],
    queryFn: async () =>
      unwrap(await api.GET('/v1/reports/sales-book', { params: { query: { ...period, format: 'json' } } })),
  });
  const data = book.data && !isFile(book.data) ? book.data : undefined;
  const itbms = (row: { itbms7: string; itbms10: string; itbms15: string }) =>
    sumAmounts([row.itbms7, row.itbms10, row.itbms15]);
  const net = (row: { net0: string; net7: string; net10: string; net15: string }) =>
    sumAmounts([row.net0, row.net7, row.net10, row.net15]);
  return (
    <section className="card" aria-labelledby="sales-book-heading">
      <h2 id="sales-book-heading">{t('reports.salesBook', { month: period.month })}</h2>
      <p className="muted">{t('reports.salesBookHint')}</p>
      <ReportDownloads
        fetchFile={async (format) => {
          const file = unwrap(
            await api.GET('/v1/reports/sales-book', { params: { query: { ...period, format } } }),
          );
          if (!isFile(file)) throw new Error(t('common.error'));
          return file;
        }}
      />
      {book.isPending ? (
        <p>{t('common.loading')}</p>
      ) : book.isError ? (
        <p role="alert">{failureSentence(book.error, language)}</p>
      ) : !data || data.rows.length === 0 ? (
        <p>{t('reports.empty')}</p>
      ) : (
        <>
          <p>
            {t('reports.salesBookCounts', {
              listed: count(data.counts.listed),
              totalled: count(data.counts.totalled),
              cancelled: count(data.counts.cancelled),
              pending: count(data.counts.pending),
            })}
          </p>
          <div className="table-wrap">
            <table className="list dense" data-testid="sales-book">
              <caption className="visually-hidden">{t('reports.salesBook', { month: period.month })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.date')}</th>
                  <th scope="col">{t('reports.series')}</th>
                  <th scope="col">{t('documents.type')}</th>
                  <th scope="col">{t('documents.receiver')}</th>
                  <th scope="col">{t('documents.status')}</th>
                  <th scope="col" className="amount">
                    {t('document.net')}
                  </th>
                  <th scope="col" className="amount">
                    {t('document.itbms')}
                  </th>
                  <th scope="col" className="amount">
                    {t('documents.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.documentId} className={row.inTotals ? undefined : 'muted'}>
                    <td className="nowrap">{date(row.issuedAt)}</td>
                    <td className="nowrap">
                      <Link to="/documents/$id" params={{ id: row.documentId }}>
                        {row.series}
                      </Link>
                    </td>
                    <td>{typeLabel(row.type) ?? row.typeCode}</td>
                    <td>
                      {row.receiverName ?? ''}
                      {row.receiverRuc && <span className="muted block">RUC {row.receiverRuc}</span>}
                    </td>
                    <td>{t(`status.${row.status}`)}</td>
                    <td className="amount">{money(net(row))}</td>
                    <td className="amount">{money(itbms(row))}</td>
                    <td className="amount">{money(row.total)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={5}>{t('reports.totals')}</td>
                  <td className="amount">{money(net(data.totals))}</td>
                  <td className="amount">{money(itbms(data.totals))}</td>
                  <td className="amount" data-testid="sales-book-total">
                    {money(data.totals.total)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ItbmsSummary({ period }: { period: Period }) {
  const { t, language, money, count } = useI18n();
  const summary = useQuery({
    queryKey: ['reports', 'itbms-summary', period],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/reports/itbms-summary', { params: { query: { ...period, format: 'json' } } }),
      ),
  });
  const data = summary.data && !isFile(summary.data) ? summary.data : undefined;
  const sides = data
    ? ([
        [t('reports.sales'), data.sales, count(data.sales.documents)],
        [t('reports.creditNotes'), data.creditNotes, count(data.creditNotes.documents)],
        [t('reports.net'), data.net, ''],
      ] as const)
    : [];
  return (
    <section className="card" aria-labelledby="itbms-heading">
      <h2 id="itbms-heading">{t('reports.itbms', { month: period.month })}</h2>
      <ReportDownloads
        fetchFile={async (format) => {
          const file = unwrap(
            await api.GET('/v1/reports/itbms-summary', { params: { query: { ...period, format } } }),
          );
          if (!isFile(file)) throw new Error(t('common.error'));
          return file;
        }}
      />
      {summary.isPending ? (
        <p>{t('common.loading')}</p>
      ) : summary.isError ? (
        <p role="alert">{failureSentence(summary.error, language)}</p>
      ) : (
        data && (
          <div className="table-wrap">
            <table className="list dense" data-testid="itbms-summary">
              <caption className="visually-hidden">{t('reports.itbms', { month: period.month })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.concept')}</th>
                  <th scope="col" className="amount">
                    {t('reports.documents')}
                  </th>
                  {(['7', '10', '15'] as const).map((rate) => (
                    <th key={rate} scope="col" className="amount">
                      {t('reports.taxableAt', { rate })}
                    </th>
                  ))}
                  <th scope="col" className="amount">
                    {t('reports.exempt')}
                  </th>
                  <th scope="col" className="amount">
                    {t('document.itbms')}
                  </th>
                  <th scope="col" className="amount">
                    {t('documents.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sides.map(([label, side, documents]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td className="amount">{documents}</td>
                    {(['7', '10', '15'] as const).map((rate) => (
                      <td key={rate} className="amount">
                        {money(side.taxable.find((line) => line.rate === rate)?.net ?? '0.00')}
                      </td>
                    ))}
                    <td className="amount">{money(side.exempt)}</td>
                    <td className="amount">{money(side.itbms)}</td>
                    <td className="amount">{money(side.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">
              {t('reports.excluded', {
                cancelled: count(data.excluded.cancelled),
                pending: count(data.excluded.pending),
                rejected: count(data.excluded.rejected),
              })}
            </p>
          </div>
        )
      )}
    </section>
  );
}
