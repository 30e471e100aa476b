import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { AUDIT_ACTIONS } from '#shared/audit/actions';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/use-session';
import { ListTable } from '../components/list-table';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { type AuditSearch, describeChange } from './audit-search';

const route = getRouteApi('/audit');

export default function AuditPage() {
  const { t } = useI18n();
  const session = useSession();
  if (!allowed(session, 'audit:read')) return <p>{t('settings.nothing')}</p>;
  return <AuditTrail />;
}

function AuditTrail() {
  const { t, dateTime } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const trail = useInfiniteQuery({
    queryKey: ['audit-events', search],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/audit-events', {
          params: { query: { ...search, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = trail.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <AuditFilters search={search} onApply={(next) => void navigate({ search: next })} />
      <ListTable
        pending={trail.isPending}
        error={trail.error}
        empty={rows.length === 0 && !trail.hasNextPage ? t('audit.empty') : undefined}
        caption={t('audit.list')}
        region={t('audit.list')}
        head={
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.changes')}</th>
            <th scope="col">{t('audit.source')}</th>
          </tr>
        }
        more={{ paging: trail, label: t('access.more') }}
      >
        {rows.map((event) => (
          <tr key={event.id}>
            <td>{dateTime(event.at)}</td>
            <td>{t(`auditAction.${event.action}`)}</td>
            <td>
              {event.actor.type === 'api-key'
                ? t('audit.apiKey', { prefix: event.actor.prefix ?? event.actor.id })
                : (event.actor.email ?? event.actor.id)}
            </td>
            <td>
              {event.target.type} <code>{event.target.id}</code>
            </td>
            <td>
              <ul className="plain compact">
                {Object.entries(event.changes).map(([field, change]) => (
                  <li key={field}>{describeChange(field, change)}</li>
                ))}
              </ul>
            </td>
            <td>{event.sourceIp ?? '—'}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}

/** The API's filters, applied together (the address bar keeps them, so a filtered view can be shared). */
function AuditFilters({ search, onApply }: { search: AuditSearch; onApply(search: AuditSearch): void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  const [action, setAction] = useState<string>(search.action ?? '');
  const [actorId, setActorId] = useState(search.actorId ?? '');
  return (
    <form
      className="filters"
      aria-label={t('audit.filters')}
      onSubmit={(event) => {
        event.preventDefault();
        onApply({
          from: from || undefined,
          to: to || undefined,
          action: AUDIT_ACTIONS.find((known) => known === action),
          actorId: actorId.trim() || undefined,
        });
      }}
    >
      <label>
        {t('audit.from')}
        <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label>
        {t('audit.to')}
        <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
      </label>
      <label>
        {t('audit.action')}
        <select value={action} onChange={(event) => setAction(event.target.value)}>
          <option value="">{t('audit.anyAction')}</option>
          {AUDIT_ACTIONS.map((known) => (
            <option key={known} value={known}>
              {t(`auditAction.${known}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('audit.actor')}
        <input value={actorId} maxLength={128} onChange={(event) => setActorId(event.target.value)} />
      </label>
      <button type="submit">{t('audit.apply')}</button>
    </form>
  );
}
