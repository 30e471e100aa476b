import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { ListTable } from '../components/list-table';
import { TextFields } from '../components/text-fields';
import { useKeptDraft } from '../forms/use-kept-draft';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Saved } from './settings/company-form';

type Tenant = Awaited<ReturnType<typeof loadPage>>['items'][number];

const TENANT_FIELDS = [
  'ruc',
  'dv',
  'name',
  'tradeName',
  'address',
  'locationCode',
  'phone',
  'email',
  'adminName',
  'adminEmail',
] as const;
type TenantDraft = Record<(typeof TENANT_FIELDS)[number], string> & { rucType: '1' | '2' };
const OPTIONAL = new Set<string>(['tradeName', 'phone', 'email']);
const emptyTenant = (): TenantDraft => ({
  ...(Object.fromEntries(TENANT_FIELDS.map((name) => [name, ''])) as Record<
    (typeof TENANT_FIELDS)[number],
    string
  >),
  rucType: '2',
});

async function loadPage(cursor: string | undefined) {
  return unwrap(
    await api.GET('/v1/tenants', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }),
  );
}

/** Empresas (SUPER_ADMIN): the platform's tenants, onboarding a new one, suspending and reactivating. */
export default function TenantsPage() {
  const { t } = useI18n();
  const tenants = useInfiniteQuery({
    queryKey: ['tenants'],
    queryFn: ({ pageParam }) => loadPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const [confirming, setConfirming] = useState<Tenant>();
  const rows = tenants.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>{t('tenants.title')}</h1>
      <section className="card" aria-labelledby="tenants-heading">
        <h2 id="tenants-heading">{t('tenants.list')}</h2>
        {confirming && <ConfirmStatus tenant={confirming} onDone={() => setConfirming(undefined)} />}
        <ListTable
          pending={tenants.isPending}
          error={tenants.error}
          caption={t('tenants.list')}
          more={{ paging: tenants, label: t('tenants.more'), inActions: true }}
          head={
            <tr>
              <th scope="col">{t('tenants.name')}</th>
              <th scope="col">{t('tenants.ruc')}</th>
              <th scope="col">{t('tenants.admin')}</th>
              <th scope="col">{t('tenants.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tenants.suspend')}</span>
              </th>
            </tr>
          }
        >
          {rows.map((tenant) => (
            <TenantRow key={tenant.id} tenant={tenant} onChange={setConfirming} />
          ))}
        </ListTable>
      </section>
      <NewTenant />
    </>
  );
}

function TenantRow({ tenant, onChange }: { tenant: Tenant; onChange: (tenant: Tenant) => void }) {
  const { t, date } = useI18n();
  const action = t(tenant.status === 'active' ? 'tenants.suspend' : 'tenants.reactivate');
  return (
    <tr>
      <td>
        {tenant.name}
        {tenant.tradeName && <span className="muted"> · {tenant.tradeName}</span>}
        <br />
        <span className="muted">
          {tenant.id} · {t('tenants.created')} {date(tenant.createdAt)}
        </span>
      </td>
      <td>
        {tenant.ruc}-{tenant.dv}
      </td>
      <td>
        {tenant.admin ? (
          <>
            {tenant.admin.name}
            <br />
            <span className="muted">
              {tenant.admin.email}
              {tenant.admin.invited ? ` · ${t('tenants.invited')}` : ''}
            </span>
          </>
        ) : (
          ''
        )}
      </td>
      <td>
        <span className={tenant.status === 'active' ? 'badge badge-authorized' : 'badge badge-cancelled'}>
          {t(`tenants.status.${tenant.status}`)}
        </span>
      </td>
      <td>
        <button
          type="button"
          className={tenant.status === 'active' ? 'danger' : 'secondary'}
          aria-label={t('tenants.actionLabel', { action, name: tenant.name })}
          onClick={() => onChange(tenant)}
        >
          {action}
        </button>
      </td>
    </tr>
  );
}

function ConfirmStatus({ tenant, onDone }: { tenant: Tenant; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const status = tenant.status === 'active' ? 'suspended' : 'active';
  const change = useMutation({
    mutationFn: async () =>
      unwrap(await api.PATCH('/v1/tenants/{id}', { params: { path: { id: tenant.id } }, body: { status } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tenants'] });
      onDone();
    },
  });
  const refusal = useFormErrors(change.error, {});
  const question: MessageKey =
    status === 'suspended' ? 'tenants.confirmSuspend' : 'tenants.confirmReactivate';
  return (
    <div role="alertdialog" aria-labelledby="confirm-status-text" className="alert">
      <p id="confirm-status-text">{t(question, { name: tenant.name })}</p>
      <FormErrorSummary form={refusal} />
      <p className="actions">
        <button type="button" className="danger" disabled={change.isPending} onClick={() => change.mutate()}>
          {t('tenants.confirm')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('tenants.cancel')}
        </button>
      </p>
    </div>
  );
}

function NewTenant() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft<TenantDraft>('tenant:new', emptyTenant);
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async (body: TenantDraft) => {
      const fields = Object.fromEntries(
        TENANT_FIELDS.flatMap((name) => {
          const value = body[name].trim();
          return OPTIONAL.has(name) && value === '' ? [] : [[name, value]];
        }),
      ) as Record<(typeof TENANT_FIELDS)[number], string>;
      return unwrap(
        await api.POST('/v1/tenants', {
          params: { header: idempotencyKey.header() },
          body: { ...fields, rucType: body.rucType },
        }),
      );
    },
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: () => {
      idempotencyKey.answered();
      void queryClient.invalidateQueries({ queryKey: ['tenants'] });
      discardDraft();
    },
  });
  const form = useFormErrors(create.error, {
    rucType: t('tenants.field.rucType'),
    ...Object.fromEntries(TENANT_FIELDS.map((name) => [name, t(`tenants.field.${name}`)])),
  });
  return (
    <form
      className="card"
      noValidate
      aria-labelledby="new-tenant-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.isPending) create.mutate(draft);
      }}
    >
      <h2 id="new-tenant-heading">{t('tenants.new')}</h2>
      <p className="muted">{t('tenants.newIntro')}</p>
      <FormErrorSummary form={form} />
      <div className="grid">
        <Field {...form.field('rucType')}>
          {(props) => (
            <select
              {...props}
              value={draft.rucType}
              onChange={(event) =>
                setDraft((previous) => ({ ...previous, rucType: event.target.value as '1' | '2' }))
              }
            >
              <option value="2">{t('tenants.rucType.2')}</option>
              <option value="1">{t('tenants.rucType.1')}</option>
            </select>
          )}
        </Field>
        <TextFields
          names={TENANT_FIELDS}
          draft={draft}
          form={form}
          typeOf={(name) => (name === 'email' || name === 'adminEmail' ? 'email' : 'text')}
          onChange={(name, value) => setDraft((previous) => ({ ...previous, [name]: value }))}
        />
      </div>
      <p className="actions">
        <button type="submit" disabled={create.isPending}>
          {t('tenants.create')}
        </button>
      </p>
      <Saved
        text={
          create.data ? t('tenants.createdOk', { name: create.data.name, id: create.data.id }) : undefined
        }
      />
    </form>
  );
}
