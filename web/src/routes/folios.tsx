import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { useSession } from '../auth/use-session';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { failureSentence } from '../components/form-errors';
import { useKeptDraft } from '../forms/use-kept-draft';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { FolioBalance } from './folios-balance';

/**
 * Folios: the balance HKA last reported, the run-out forecast, a sync on demand, and the quotas assigned to
 * the company's users (issuing debits a user's quota and the company's pool together).
 */
export default function FoliosPage() {
  const { t, language, count, dateTime } = useI18n();
  const session = useSession();
  const folios = useQuery({
    queryKey: ['folios'],
    queryFn: async () => unwrap(await api.GET('/v1/folios')),
  });
  const manages = allowed(session, 'settings:manage');
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => unwrap(await api.GET('/v1/users', { params: { query: { limit: 100 } } })),
    enabled: allowed(session, 'users:manage'),
  });
  const emailOf = new Map((users.data?.items ?? []).map((user) => [user.userId, user.email]));
  return (
    <>
      <div className="page-head">
        <h1>{t('folios.title')}</h1>
        {manages && <SyncButton />}
      </div>
      <section className="card" aria-labelledby="balance-heading">
        <h2 id="balance-heading">{t('home.folios')}</h2>
        {folios.isPending ? (
          <p>{t('common.loading')}</p>
        ) : folios.isError ? (
          <p role="alert">{failureSentence(folios.error, language)}</p>
        ) : (
          <>
            <FolioBalance balance={folios.data.balance} forecast={folios.data.forecast} />
            {folios.data.balance && (
              <dl className="totals" aria-label={t('folios.detail')}>
                <dt>{t('folios.cycleUsed')}</dt>
                <dd>{count(folios.data.balance.cycleUsed)}</dd>
                <dt>{t('folios.cycleAvailable')}</dt>
                <dd>{count(folios.data.balance.cycleAvailable)}</dd>
                <dt>{t('folios.licenceTotal')}</dt>
                <dd>{count(folios.data.balance.licenceTotal)}</dd>
                <dt>{t('folios.environment')}</dt>
                <dd>{folios.data.balance.environment === 'prod' ? t('folios.prod') : t('folios.demo')}</dd>
              </dl>
            )}
          </>
        )}
      </section>
      <section className="card" aria-labelledby="assignments-heading">
        <h2 id="assignments-heading">{t('folios.assignments')}</h2>
        <p className="muted">{t('folios.assignmentsHint')}</p>
        {folios.data && folios.data.assignments.length === 0 ? (
          <p>{t('folios.assignmentsNone')}</p>
        ) : (
          folios.data && (
            <table className="list" aria-label={t('folios.assignments')}>
              <thead>
                <tr>
                  <th scope="col">{t('folios.user')}</th>
                  <th scope="col" className="amount">
                    {t('folios.assigned')}
                  </th>
                  <th scope="col" className="amount">
                    {t('folios.remaining')}
                  </th>
                  <th scope="col">{t('folios.updatedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {folios.data.assignments.map((assignment) => (
                  <tr key={assignment.userId}>
                    <td>{emailOf.get(assignment.userId) ?? assignment.userId}</td>
                    <td className="amount">{count(assignment.assigned)}</td>
                    <td className="amount">{count(assignment.remaining)}</td>
                    <td>{dateTime(assignment.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        )}
        {manages && <AssignForm users={users.data?.items ?? []} />}
      </section>
    </>
  );
}

function SyncButton() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  // One key per sync asked for: a click again after a lost answer is the same sync, not a second one.
  const idempotencyKey = useIdempotencyKey();
  const sync = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/v1/folios/sync', { params: { header: idempotencyKey.header() } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['folios'] }),
    onSettled: (_data, error) => idempotencyKey.answered(error ?? undefined),
  });
  const refusal = useFormErrors(sync.error, {});
  return (
    <div>
      <button type="button" disabled={sync.isPending} onClick={() => sync.mutate()}>
        {t('folios.sync')}
      </button>
      {sync.isSuccess && <p role="status">{t('folios.synced')}</p>}
      <FormErrorSummary form={refusal} />
    </div>
  );
}

function AssignForm({ users }: { users: readonly { userId: string; email: string }[] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft('folio-assignment', () => ({
    userId: '',
    quantity: '',
  }));
  const { userId, quantity } = draft;
  const set = (patch: Partial<typeof draft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const idempotencyKey = useIdempotencyKey();
  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/folios/assignments', {
          params: { header: idempotencyKey.header() },
          body: { userId, quantity: Number(quantity) },
        }),
      ),
    onSuccess: () => {
      idempotencyKey.answered();
      discardDraft({ userId, quantity: '' });
      void queryClient.invalidateQueries({ queryKey: ['folios'] });
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const form = useFormErrors(assign.error, { userId: t('folios.user'), quantity: t('folios.quantity') });
  return (
    <form
      className="filters"
      aria-label={t('folios.assign')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!assign.isPending) assign.mutate();
      }}
    >
      <FormErrorSummary form={form} />
      <Field {...form.field('userId')}>
        {(props) =>
          users.length > 0 ? (
            <select
              {...props}
              required
              value={userId}
              onChange={(event) => set({ userId: event.target.value })}
            >
              <option value="">{t('folios.choose')}</option>
              {users.map((user) => (
                <option key={user.userId} value={user.userId}>
                  {user.email}
                </option>
              ))}
            </select>
          ) : (
            <input
              {...props}
              required
              value={userId}
              onChange={(event) => set({ userId: event.target.value })}
            />
          )
        }
      </Field>
      <Field {...form.field('quantity')}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={1}
            max={1_000_000}
            required
            value={quantity}
            onChange={(event) => set({ quantity: event.target.value })}
          />
        )}
      </Field>
      <button type="submit" disabled={assign.isPending}>
        {t('folios.assign')}
      </button>
    </form>
  );
}
