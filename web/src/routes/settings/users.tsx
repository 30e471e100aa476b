import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import type { paths } from '../../api/schema.gen';
import { useSession } from '../../auth/use-session';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import type { Refusal } from '../../components/form-errors';
import { ListTable } from '../../components/list-table';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { allowed } from '../../permissions';

type User =
  paths['/v1/users']['get']['responses'][200]['content']['application/json']['data']['items'][number];
type Role = User['role'];
const ROLES = ['ADMIN', 'USER', 'OPERATOR'] as const satisfies readonly Role[];
const USERS = ['users'] as const;

/** The API's refusals a person should read in their own words rather than the API's English. */
function explainRefusal(t: (key: MessageKey) => string) {
  return (refusal: Refusal) => (refusal.code === 'LAST_ADMIN' ? t('users.lastAdmin') : undefined);
}

export default function UsersPage() {
  const { t } = useI18n();
  const session = useSession();
  if (!allowed(session, 'users:manage')) return <p>{t('settings.nothing')}</p>;
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t('users.title')}</h2>
      <InviteForm />
      <UsersList />
    </section>
  );
}

function InviteForm() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [invitee, setInvitee, discardInvitee] = useKeptDraft('user:invite', () => ({
    email: '',
    name: '',
    role: 'USER' as Role,
  }));
  const { email, name, role } = invitee;
  const set = (patch: Partial<typeof invitee>) => setInvitee((previous) => ({ ...previous, ...patch }));
  const idempotencyKey = useIdempotencyKey();
  const invite = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/users', {
          params: { header: idempotencyKey.header() },
          body: { email, name, role },
        }),
      ),
    onSuccess: async () => {
      idempotencyKey.answered();
      discardInvitee();
      await queryClient.invalidateQueries({ queryKey: USERS });
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const form = useFormErrors(invite.error, {
    email: t('users.email'),
    name: t('users.name'),
    role: t('users.role'),
  });
  return (
    <form
      className="card"
      aria-labelledby="invite-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invite.isPending) invite.mutate();
      }}
    >
      <h3 id="invite-title">{t('users.invite')}</h3>
      <p className="muted">{t('users.inviteHelp')}</p>
      <FormErrorSummary form={form} />
      <div className="grid">
        <Field {...form.field('email')}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="off"
              required
              value={email}
              onChange={(event) => set({ email: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('name')}>
          {(props) => (
            <input
              {...props}
              required
              maxLength={100}
              value={name}
              onChange={(event) => set({ name: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('role')}>
          {(props) => (
            <select
              {...props}
              value={role}
              onChange={(event) => set({ role: ROLES.find((r) => r === event.target.value) ?? 'USER' })}
            >
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {t(`role.${option}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" disabled={invite.isPending}>
          {t('users.send')}
        </button>
      </p>
      {invite.isSuccess && <p role="status">{t('users.invited', { email: invite.data.email })}</p>}
    </form>
  );
}

function UsersList() {
  const { t } = useI18n();
  const users = useInfiniteQuery({
    queryKey: USERS,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/users', {
          params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <ListTable
      pending={users.isPending}
      error={users.error}
      empty={rows.length === 0 ? t('users.empty') : undefined}
      caption={t('users.list')}
      head={
        <tr>
          <th scope="col">{t('users.name')}</th>
          <th scope="col">{t('users.email')}</th>
          <th scope="col">{t('users.role')}</th>
          <th scope="col">{t('users.status')}</th>
          <th scope="col">{t('access.actions')}</th>
        </tr>
      }
      more={{ paging: users, label: t('access.more') }}
    >
      {rows.map((user) => (
        <UserRow key={user.userId} user={user} />
      ))}
    </ListTable>
  );
}

function UserRow({ user }: { user: User }) {
  const { t } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
  const you = session?.email.toLowerCase() === user.email.toLowerCase();
  const change = useMutation({
    mutationFn: async (body: { role?: Role; enabled?: boolean }) =>
      unwrap(await api.PATCH('/v1/users/{id}', { params: { path: { id: user.userId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS }),
  });
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/v1/users/{id}', { params: { path: { id: user.userId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS }),
  });
  const refusal = useFormErrors(change.error ?? remove.error, {}, explainRefusal(t));
  return (
    <tr>
      <td>
        {user.name} {you && <span className="muted">{t('users.you')}</span>}
      </td>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={t('users.roleOf', { name: user.name })}
          value={user.role}
          disabled={change.isPending}
          onChange={(event) => {
            const role = ROLES.find((option) => option === event.target.value);
            if (role) change.mutate({ role });
          }}
        >
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {t(`role.${option}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span className={user.enabled ? 'badge badge-authorized' : 'badge badge-cancelled'}>
          {user.enabled ? t('users.enabled') : t('users.disabled')}
        </span>
      </td>
      <td>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={change.isPending}
            onClick={() => change.mutate({ enabled: !user.enabled })}
          >
            {user.enabled ? t('users.disable') : t('users.enable')}
          </button>
          <ConfirmButton
            label={t('users.delete')}
            question={t('users.deleteConfirm', { name: user.name })}
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
        <FormErrorSummary form={refusal} />
      </td>
    </tr>
  );
}
