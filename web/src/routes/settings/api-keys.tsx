import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import type { paths } from '../../api/schema.gen';
import { useSession } from '../../auth/use-session';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { ListTable } from '../../components/list-table';
import { SecretOnce } from '../../components/secret-once';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';

type ApiKey = paths['/v1/api-keys']['get']['responses'][200]['content']['application/json']['data'][number];
type KeyRole = ApiKey['role'];
type KeyEnvironment = ApiKey['environment'];
const API_KEYS = ['api-keys'] as const;

export default function ApiKeysPage() {
  const { t } = useI18n();
  const session = useSession();
  // The secret of the key just created: state of this screen only, gone when the person leaves it.
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  if (!allowed(session, 'api-keys:manage')) return <p>{t('settings.nothing')}</p>;
  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">{t('apiKeys.title')}</h2>
      {created ? (
        <SecretOnce
          title={t('apiKeys.secretTitle', { name: created.name })}
          secret={created.secret}
          onDone={() => setCreated(undefined)}
        />
      ) : (
        <CreateKeyForm onCreated={setCreated} />
      )}
      <KeysList />
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated(key: { name: string; secret: string }): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft('api-key:new', () => ({
    name: '',
    role: 'USER' as KeyRole,
    environment: 'live' as KeyEnvironment,
  }));
  const { name, role, environment } = draft;
  const set = (patch: Partial<typeof draft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/api-keys', {
          params: { header: idempotencyKey.header() },
          body: { name, role, environment },
        }),
      ),
    onSuccess: async (key) => {
      idempotencyKey.answered();
      discardDraft();
      // A replayed key answers without its secret (it is not stored in clear): then there is nothing to show.
      if (key.secret) onCreated({ name: key.name, secret: key.secret });
      await queryClient.invalidateQueries({ queryKey: API_KEYS });
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const form = useFormErrors(create.error, {
    name: t('apiKeys.name'),
    role: t('apiKeys.role'),
    environment: t('apiKeys.environment'),
  });
  return (
    <form
      className="card"
      aria-labelledby="create-key-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.isPending) create.mutate();
      }}
    >
      <h3 id="create-key-title">{t('apiKeys.create')}</h3>
      <FormErrorSummary form={form} />
      <div className="grid">
        <Field {...form.field('name')}>
          {(props) => (
            <input
              {...props}
              required
              maxLength={80}
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
              onChange={(event) => set({ role: event.target.value === 'OPERATOR' ? 'OPERATOR' : 'USER' })}
            >
              <option value="USER">{t('apiKeys.roleUSER')}</option>
              <option value="OPERATOR">{t('apiKeys.roleOPERATOR')}</option>
            </select>
          )}
        </Field>
        <Field {...form.field('environment')}>
          {(props) => (
            <select
              {...props}
              value={environment}
              onChange={(event) => set({ environment: event.target.value === 'test' ? 'test' : 'live' })}
            >
              <option value="live">{t('apiKeys.envLive')}</option>
              <option value="test">{t('apiKeys.envTest')}</option>
            </select>
          )}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" disabled={create.isPending}>
          {t('apiKeys.submit')}
        </button>
      </p>
    </form>
  );
}

function KeysList() {
  const { t, date, dateTime } = useI18n();
  const keys = useQuery({
    queryKey: API_KEYS,
    queryFn: async () => unwrap(await api.GET('/v1/api-keys')),
  });
  return (
    <ListTable
      pending={keys.isPending}
      error={keys.error}
      empty={keys.data?.length === 0 ? t('apiKeys.empty') : undefined}
      caption={t('apiKeys.list')}
      head={
        <tr>
          <th scope="col">{t('apiKeys.name')}</th>
          <th scope="col">{t('apiKeys.prefix')}</th>
          <th scope="col">{t('apiKeys.role')}</th>
          <th scope="col">{t('apiKeys.environment')}</th>
          <th scope="col">{t('access.created')}</th>
          <th scope="col">{t('apiKeys.expires')}</th>
          <th scope="col">{t('apiKeys.lastUsed')}</th>
          <th scope="col">{t('access.actions')}</th>
        </tr>
      }
    >
      {(keys.data ?? []).map((key) => (
        <tr key={key.id}>
          <td>{key.name}</td>
          <td>
            <code>{key.prefix}…</code>
          </td>
          <td>{key.role}</td>
          <td>{key.environment}</td>
          <td>{dateTime(key.createdAt)}</td>
          <td>{key.expiresAt ? date(key.expiresAt) : t('access.never')}</td>
          <td>{key.lastUsedAt ? dateTime(key.lastUsedAt) : t('access.never')}</td>
          <td>
            <RevokeKey apiKey={key} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

function RevokeKey({ apiKey }: { apiKey: ApiKey }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/v1/api-keys/{id}', { params: { path: { id: apiKey.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: API_KEYS }),
  });
  const refusal = useFormErrors(revoke.error, {});
  return (
    <>
      <ConfirmButton
        label={t('apiKeys.revoke')}
        question={t('apiKeys.revokeConfirm', { name: apiKey.name })}
        pending={revoke.isPending}
        onConfirm={() => revoke.mutate()}
      />
      <FormErrorSummary form={refusal} />
    </>
  );
}
