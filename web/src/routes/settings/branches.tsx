import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { ListTable } from '../../components/list-table';
import { TextFields } from '../../components/text-fields';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { ManageOnly, Saved } from './company-form';

const HEAD_OFFICE = '0000';
const BRANCH_FIELDS = [
  'code',
  'name',
  'address',
  'location.code',
  'location.province',
  'location.district',
  'location.corregimiento',
  'phones',
] as const;
type BranchDraft = Record<(typeof BRANCH_FIELDS)[number], string>;
const BRANCH_LABELS: Record<(typeof BRANCH_FIELDS)[number], MessageKey> = {
  code: 'branches.codeHint',
  name: 'branches.name',
  address: 'branches.address',
  'location.code': 'branches.locationCode',
  'location.province': 'branches.province',
  'location.district': 'branches.district',
  'location.corregimiento': 'branches.corregimiento',
  phones: 'branches.phone',
};
const emptyBranch = (): BranchDraft =>
  Object.fromEntries(BRANCH_FIELDS.map((name) => [name, ''])) as BranchDraft;

/** Sucursales y puntos de venta: the branches, a new one, and the points of sale of the one chosen. */
export default function BranchesPage() {
  return (
    <ManageOnly>
      <BranchesSection />
    </ManageOnly>
  );
}

function BranchesSection() {
  const { t, dateTime } = useI18n();
  const [selected, setSelected] = useState<string>();
  const branches = useQuery({
    queryKey: ['branches'],
    queryFn: async () => unwrap(await api.GET('/v1/branches')),
  });

  return (
    <>
      <section className="card" aria-labelledby="branches-heading">
        <h2 id="branches-heading">{t('branches.title')}</h2>
        <ListTable
          pending={branches.isPending}
          error={branches.error}
          caption={t('branches.list')}
          head={
            <tr>
              <th scope="col">{t('branches.code')}</th>
              <th scope="col">{t('branches.name')}</th>
              <th scope="col">{t('branches.address')}</th>
              <th scope="col">{t('branches.since')}</th>
              <th scope="col">{t('branches.pointsOfSale')}</th>
            </tr>
          }
        >
          {(branches.data ?? []).map((branch) => (
            <tr key={branch.code}>
              <td>
                {branch.code}
                {branch.code === HEAD_OFFICE && <span className="muted"> · {t('branches.headOffice')}</span>}
              </td>
              <td>{branch.name}</td>
              <td>
                {branch.address}
                <br />
                <span className="muted">
                  {branch.location.corregimiento}, {branch.location.district}, {branch.location.province}
                </span>
              </td>
              <td>{dateTime(branch.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  aria-pressed={selected === branch.code}
                  onClick={() => setSelected(branch.code)}
                >
                  {t('branches.show', { code: branch.code })}
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      </section>
      {selected && <PointsOfSale branchCode={selected} />}
      <NewBranch onCreated={setSelected} />
    </>
  );
}

function NewBranch({ onCreated }: { onCreated: (code: string) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft<BranchDraft>('branch:new', emptyBranch);
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async (body: BranchDraft) =>
      unwrap(
        await api.POST('/v1/branches', {
          params: { header: idempotencyKey.header() },
          body: {
            code: body.code.trim(),
            name: body.name,
            address: body.address,
            location: {
              code: body['location.code'].trim(),
              province: body['location.province'],
              district: body['location.district'],
              corregimiento: body['location.corregimiento'],
            },
            phones: [body.phones.trim()],
          },
        }),
      ),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: (branch) => {
      idempotencyKey.answered();
      void queryClient.invalidateQueries({ queryKey: ['branches'] });
      discardDraft();
      onCreated(branch.code);
    },
  });
  const form = useFormErrors(
    create.error,
    Object.fromEntries(BRANCH_FIELDS.map((name) => [name, t(BRANCH_LABELS[name])])),
  );
  return (
    <form
      className="card"
      noValidate
      aria-labelledby="new-branch-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.isPending) create.mutate(draft);
      }}
    >
      <h2 id="new-branch-heading">{t('branches.new')}</h2>
      <FormErrorSummary form={form} />
      <div className="grid">
        <TextFields
          names={BRANCH_FIELDS}
          draft={draft}
          form={form}
          onChange={(name, value) => setDraft((previous) => ({ ...previous, [name]: value }))}
        />
      </div>
      <p className="actions">
        <button type="submit" disabled={create.isPending}>
          {t('branches.create')}
        </button>
      </p>
      <Saved text={create.data ? t('branches.created', { code: create.data.code }) : undefined} />
    </form>
  );
}

function PointsOfSale({ branchCode }: { branchCode: string }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const queryKey = ['branches', branchCode, 'points-of-sale'];
  const points = useQuery({
    queryKey,
    queryFn: async () =>
      unwrap(await api.GET('/v1/branches/{code}/points-of-sale', { params: { path: { code: branchCode } } })),
  });
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/branches/{code}/points-of-sale', {
          params: { path: { code: branchCode }, header: idempotencyKey.header() },
          body: { code: code.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        }),
      ),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: () => {
      idempotencyKey.answered();
      void queryClient.invalidateQueries({ queryKey });
      setCode('');
      setName('');
    },
  });
  const form = useFormErrors(create.error, { code: t('branches.posCode'), name: t('branches.posName') });
  const heading = t('branches.posOf', { code: branchCode });
  return (
    <section className="card" aria-labelledby="pos-heading">
      <h2 id="pos-heading">{heading}</h2>
      <ListTable
        pending={points.isPending}
        error={points.error}
        caption={heading}
        head={
          <tr>
            <th scope="col">{t('branches.code')}</th>
            <th scope="col">{t('branches.name')}</th>
            <th scope="col">{t('branches.since')}</th>
          </tr>
        }
      >
        {(points.data ?? []).map((point) => (
          <tr key={point.code}>
            <td>{point.code}</td>
            <td>{point.name ?? ''}</td>
            <td>{dateTime(point.createdAt)}</td>
          </tr>
        ))}
      </ListTable>

      <form
        noValidate
        aria-label={t('branches.posCreate')}
        onSubmit={(event) => {
          event.preventDefault();
          if (!create.isPending) create.mutate();
        }}
      >
        <FormErrorSummary form={form} />
        <div className="grid">
          <Field {...form.field('code')}>
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            )}
          </Field>
          <Field {...form.field('name')}>
            {(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>
        </div>
        <p className="actions">
          <button type="submit" disabled={create.isPending}>
            {t('branches.posCreate')}
          </button>
        </p>
        <Saved text={create.data ? t('branches.posCreated', { code: create.data.code }) : undefined} />
      </form>
    </section>
  );
}
