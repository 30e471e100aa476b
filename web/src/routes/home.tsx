import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, type DocumentStatus, unwrap } from '../api/client';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';

/** Issuing that is stuck or refused: someone has to look at these. */
const NEEDS_ACTION: DocumentStatus[] = ['REJECTED', 'FAILED', 'WAITING_FOR_HKA', 'CONTINGENCY'];

export default function HomePage() {
  const { t, money, dateTime, count } = useI18n();
  const folios = useQuery({
    queryKey: ['folios'],
    queryFn: async () => unwrap(await api.GET('/v1/folios')),
  });
  const needing = useQueries({
    queries: NEEDS_ACTION.map((status) => ({
      queryKey: ['documents', { status, limit: 5 }],
      queryFn: async () =>
        unwrap(await api.GET('/v1/documents', { params: { query: { status, limit: 5 } } })),
    })),
  });
  const documents = needing.flatMap((query) => query.data?.items ?? []);
  const balance = folios.data?.balance;
  return (
    <>
      <h1>{t('home.title')}</h1>
      <section className="card" aria-labelledby="folios-heading">
        <h2 id="folios-heading">{t('home.folios')}</h2>
        {folios.isPending ? (
          <p>{t('common.loading')}</p>
        ) : balance ? (
          <>
            <p className="figure">{count(balance.poolAvailable)}</p>
            <p>
              {t('home.foliosOf', {
                total: count(balance.cycleTotal),
                cycle: balance.cycle,
              })}
            </p>
            <p className="muted">{t('home.syncedAt', { at: dateTime(balance.syncedAt) })}</p>
          </>
        ) : (
          <p>{folios.isError ? t('common.error') : t('home.foliosUnknown')}</p>
        )}
      </section>
      <section className="card" aria-labelledby="action-heading">
        <h2 id="action-heading">{t('home.needsAction')}</h2>
        {needing.some((query) => query.isPending) ? (
          <p>{t('common.loading')}</p>
        ) : documents.length === 0 ? (
          <p>{t('home.needsActionNone')}</p>
        ) : (
          <ul className="plain">
            {documents.map((document) => (
              <li key={document.id}>
                <Link to="/documents/$id" params={{ id: document.id }}>
                  {document.branch}-{document.pointOfSale}-{document.number}
                </Link>{' '}
                <StatusBadge status={document.status} /> {document.receiver.name ?? ''} ·{' '}
                {money(document.totals.total)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
