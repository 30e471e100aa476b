import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useIdempotencyKey } from '../api/idempotency';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { useKeptDraft } from '../forms/use-kept-draft';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { EditorActions, type EditorDone } from './catalogue-page';
import {
  type CUSTOMER_FIELDS,
  type CustomerDraft,
  type CustomerResource,
  customerBodyOf,
  customerDraftOf,
  emptyCustomerDraft,
  FOREIGN_ID_TYPES,
  hasRuc,
  RECEIVER_TYPES,
} from './customer-form';

type CustomerPath = (typeof CUSTOMER_FIELDS)[number];
const LABELS: Record<CustomerPath, MessageKey> = {
  type: 'customers.type',
  rucType: 'customers.rucType',
  ruc: 'customers.ruc',
  dv: 'customers.dv',
  name: 'customers.name',
  address: 'customers.address',
  'location.code': 'customers.locationCode',
  'location.province': 'customers.province',
  'location.district': 'customers.district',
  'location.corregimiento': 'customers.corregimiento',
  'foreignId.type': 'customers.foreignIdType',
  'foreignId.number': 'customers.foreignIdNumber',
  'foreignId.country': 'customers.foreignIdCountry',
  phones: 'customers.phones',
  emails: 'customers.emails',
  country: 'customers.country',
  countryName: 'customers.countryName',
};
const RUC_PATHS = [
  'rucType',
  'ruc',
  'dv',
  'address',
  'location.code',
  'location.province',
  'location.district',
  'location.corregimiento',
] as const;
const FOREIGN_PATHS = ['foreignId.type', 'foreignId.number', 'foreignId.country', 'address'] as const;

/** The fields the form shows for this kind of receiver: a refusal at a hidden one is said at the top. */
function shownPaths(draft: CustomerDraft): CustomerPath[] {
  return [
    'type',
    'name',
    ...(hasRuc(draft.type) ? RUC_PATHS : []),
    ...(draft.type === 'foreign' ? FOREIGN_PATHS : []),
    'phones',
    'emails',
    'country',
    ...(draft.country.trim().toUpperCase() === 'ZZ' ? (['countryName'] as const) : []),
  ];
}

/** Creates a customer (`editing` absent) or replaces one; the API's refusals land at their fields. */
export function CustomerEditor({
  editing,
  onDone,
}: {
  editing: CustomerResource | undefined;
  onDone: EditorDone;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft<CustomerDraft>(
    `customer:${editing?.id ?? 'new'}`,
    () => (editing ? customerDraftOf(editing) : emptyCustomerDraft()),
  );
  const idempotencyKey = useIdempotencyKey();
  const save = useMutation({
    mutationFn: async (body: ReturnType<typeof customerBodyOf>) =>
      editing
        ? unwrap(await api.PUT('/v1/customers/{id}', { params: { path: { id: editing.id } }, body }))
        : unwrap(
            await api.POST('/v1/customers', {
              params: { header: idempotencyKey.header() },
              body,
            }),
          ),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: async (saved) => {
      idempotencyKey.answered();
      discardDraft();
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      const warnings = saved.warnings.map((warning) => warning.message);
      onDone([t('customers.saved'), ...(warnings.length > 0 ? [t('customers.warnings'), ...warnings] : [])]);
    },
  });
  const form = useFormErrors(
    save.error,
    Object.fromEntries(shownPaths(draft).map((path) => [path, t(LABELS[path])])),
  );
  const set = (patch: Partial<CustomerDraft>) => setDraft((previous) => ({ ...previous, ...patch }));

  const text = (path: CustomerPath, key: keyof CustomerDraft, type = 'text') => (
    <Field {...form.field(path)}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={String(draft[key] ?? '')}
          onChange={(event) => set({ [key]: event.target.value })}
        />
      )}
    </Field>
  );
  const choice = <T extends string>(
    path: CustomerPath,
    value: T,
    options: readonly T[],
    optionLabel: (option: T) => MessageKey,
    onChange: (value: T) => void,
  ) => (
    <Field {...form.field(path)}>
      {(props) => (
        <select
          {...props}
          value={value}
          onChange={(event) => onChange(options.find((option) => option === event.target.value) ?? value)}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {t(optionLabel(option))}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form
      className="card"
      noValidate
      aria-labelledby="customer-editor-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate(customerBodyOf(draft));
      }}
    >
      <h2 id="customer-editor-title">{t(editing ? 'customers.editTitle' : 'customers.createTitle')}</h2>
      <FormErrorSummary form={form} />
      <div className="grid">
        {choice(
          'type',
          draft.type,
          RECEIVER_TYPES,
          (type) => `customers.type.${type}`,
          (type) => set({ type }),
        )}
        {text('name', 'name')}
        {hasRuc(draft.type) && (
          <>
            {choice(
              'rucType',
              draft.rucType,
              ['1', '2'] as const,
              (rucType) => `customers.rucType.${rucType}`,
              (rucType) => set({ rucType }),
            )}
            {text('ruc', 'ruc')}
            {text('dv', 'dv')}
            {text('address', 'address')}
            {text('location.code', 'locationCode')}
            {text('location.province', 'province')}
            {text('location.district', 'district')}
            {text('location.corregimiento', 'corregimiento')}
          </>
        )}
        {draft.type === 'foreign' && (
          <>
            {choice(
              'foreignId.type',
              draft.foreignIdType,
              FOREIGN_ID_TYPES,
              (type) => `customers.foreignIdType.${type}`,
              (foreignIdType) => set({ foreignIdType }),
            )}
            {text('foreignId.number', 'foreignIdNumber')}
            {text('foreignId.country', 'foreignIdCountry')}
            {text('address', 'address')}
          </>
        )}
        {text('phones', 'phones', 'tel')}
        {text('emails', 'emails')}
        {text('country', 'country')}
        {draft.country.trim().toUpperCase() === 'ZZ' && text('countryName', 'countryName')}
      </div>
      <EditorActions
        catalogue="customers"
        saving={save.isPending}
        onCancel={() => {
          discardDraft();
          onDone(undefined);
        }}
      />
    </form>
  );
}
