import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, type DocumentStatus, unwrap } from '../api/client';
import { useSession } from '../auth/use-session';
import { failureSentence } from '../components/form-errors';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { FolioBalance } from './folios-balance';
import { daysUntil, monthBounds, panamaDate, panamaMonth } from './reports-period';

/** Issuing that is stuck or refused: someone has to look at these. */
const NEEDS_ACTION: DocumentStatus[] = ['REJECTED', 'FAILED', 'WAITING_FOR_HKA', 'CONTINGENCY'];
/** Counted in the month's "not authorized yet": still being issued, or failed (a retry may authorize them). */
const NOT_YET_AUTHORIZED: DocumentStatus[] = ['PROCESSING', 'WAITING_FOR_HKA', 'CONTINGENCY', 'FAILED'];
/** A certificate this close to expiry is flagged. */
const CERTIFICATE_WARNING_DAYS = 30;
/** Tenants are another screen's business; typed loosely so this page does not depend on its route. */
const TENANTS_PATH: string = '/tenants';

export default function HomePage() {
  const session = useSession();
  if (!session?.tenantId) return <PlatformHome />;
  return <TenantHome />;
}

/** A SUPER_ADMIN has no tenant: no tenant data to show, only the way to the tenants. */
function PlatformHome() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <section className="card">
        <h2>{t('home.platformTitle')}</h2>
        <p>{t('home.platformText')}</p>
        <p>
          <Link to={TENANTS_PATH}>{t('home.platformLink')}</Link>
        </p>
      </section>
    </>
  );
}

function TenantHome() {
  const { t, language, count } = useI18n();
  const session = useSession();
  const now = new Date();
  const today = panamaDate(now);
  const folios = useQuery({
    queryKey: ['folios'],
    queryFn: async () => unwrap(await api.GET('/v1/folios')),
  });
  // Both figures are counts of the status index: as fast for ten thousand documents as for ten.
  const todays = useDocumentCounts(today, today);
  const { from: monthStart, to: monthEnd } = monthBounds(panamaMonth(now));
  const month = useDocumentCounts(monthStart, monthEnd);
  return (
    <>
      <h1>{t('home.title')}</h1>
      <div className="stats">
        <section className="card" aria-labelledby="folios-heading">
          <h2 id="folios-heading">{t('home.folios')}</h2>
          {folios.isPending ? (
            <p>{t('common.loading')}</p>
          ) : folios.isError ? (
            <p role="alert">{failureSentence(folios.error, language)}</p>
          ) : (
            <FolioBalance balance={folios.data.balance} forecast={folios.data.forecast} />
          )}
          <p>
            <Link to="/folios">{t('home.foliosMore')}</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="today-heading">
          <h2 id="today-heading">{t('home.today')}</h2>
          {todays.isPending ? (
            <p>{t('common.loading')}</p>
          ) : todays.isError ? (
            <p role="alert">{failureSentence(todays.error, language)}</p>
          ) : (
            <p className="figure" data-testid="documents-today">
              {count(todays.data.total)}
            </p>
          )}
          <p className="muted">{t('home.todayHint')}</p>
          <p>
            <Link to="/documents" search={{ from: today, to: today }}>
              {t('home.todayLink')}
            </Link>
          </p>
        </section>
        <section className="card" aria-labelledby="month-heading">
          <h2 id="month-heading">{t('home.month')}</h2>
          {month.isPending ? (
            <p>{t('common.loading')}</p>
          ) : month.isError ? (
            <p role="alert">{failureSentence(month.error, language)}</p>
          ) : (
            <>
              <p className="figure" data-testid="documents-month">
                {count(month.data.byStatus.AUTHORIZED)}
              </p>
              <p className="muted">
                {t('home.monthDetail', {
                  cancelled: count(month.data.byStatus.CANCELLED),
                  pending: count(
                    NOT_YET_AUTHORIZED.reduce((sum, status) => sum + month.data.byStatus[status], 0),
                  ),
                })}
              </p>
            </>
          )}
          <p>
            {allowed(session, 'reports:read') ? (
              <Link to="/reports">{t('home.monthLink')}</Link>
            ) : (
              <Link to="/documents" search={{ status: 'AUTHORIZED', from: monthStart, to: monthEnd }}>
                {t('home.monthDocumentsLink')}
              </Link>
            )}
          </p>
        </section>
        {allowed(session, 'settings:manage') && <CertificateExpiry now={now} />}
      </div>
      <NeedsAction />
    </>
  );
}

/** How many documents were issued from `from` to `to` (Panama days), by status. */
function useDocumentCounts(from: string, to: string) {
  return useQuery({
    queryKey: ['documents', 'counts', from, to],
    queryFn: async () => unwrap(await api.GET('/v1/documents/counts', { params: { query: { from, to } } })),
  });
}

/** The signing certificate's expiry: only for whoever manages settings (the API's own rule for the list). */
function CertificateExpiry({ now }: { now: Date }) {
  const { t, language, date } = useI18n();
  const certificates = useQuery({
    queryKey: ['certificates'],
    queryFn: async () => unwrap(await api.GET('/v1/certificates')),
  });
  const expiries = (certificates.data ?? [])
    .map((certificate) => certificate.notAfter)
    .filter((notAfter): notAfter is string => notAfter !== null)
    .sort((a, b) => b.localeCompare(a));
  const latest = expiries[0];
  const days = latest ? daysUntil(latest, now) : undefined;
  return (
    <section className="card" aria-labelledby="certificate-heading">
      <h2 id="certificate-heading">{t('home.certificate')}</h2>
      {certificates.isPending ? (
        <p>{t('common.loading')}</p>
      ) : certificates.isError ? (
        <p role="alert">{failureSentence(certificates.error, language)}</p>
      ) : latest === undefined || days === undefined ? (
        <p className="warn">{t('home.certificateNone')}</p>
      ) : (
        <>
          <p className={days < CERTIFICATE_WARNING_DAYS ? 'figure warn' : 'figure'}>
            {days < 0 ? t('home.certificateExpired') : t('home.certificateDays', { days })}
          </p>
          <p className="muted">{t('home.certificateUntil', { date: date(latest) })}</p>
        </>
      )}
    </section>
  );
}

function NeedsAction() {
  const { t, money } = useI18n();
  const needing = useQueries({
    queries: NEEDS_ACTION.map((status) => ({
      queryKey: ['documents', { status, limit: 5 }],
      queryFn: async () =>
        unwrap(await api.GET('/v1/documents', { params: { query: { status, limit: 5 } } })),
    })),
  });
  const documents = needing.flatMap((query) => query.data?.items ?? []);
  return (
    <section className="card" aria-labelledby="action-heading">
      <h2 id="action-heading">{t('home.needsAction')}</h2>
      {needing.some((query) => query.isPending) ? (
        <p>{t('common.loading')}</p>
      ) : documents.length === 0 ? (
        <p className="ok">{t('home.needsActionNone')}</p>
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
      <p className="actions">
        {NEEDS_ACTION.map((status) => (
          <Link key={status} to="/documents" search={{ status }}>
            {t('home.needsActionAll', { status: t(`status.${status}`) })}
          </Link>
        ))}
      </p>
    </section>
  );
}
