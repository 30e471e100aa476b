import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { CatalogueEditorFrame } from '../components/catalogue-editor-frame';
import type { CatalogueEditorProps } from '../components/catalogue-page';
import { useCatalogueSave } from '../components/catalogue-save';
import { Field } from '../components/field';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import {
  CUSTOMER_FIELDS,
  type CustomerDraft,
  type CustomerResource,
  customerBodyOf,
  customerDraftOf,
  emptyCustomerDraft,
  FOREIGN_ID_TYPES,
  hasRuc,
  RECEIVER_TYPES,
} from './customer-form';

/** Creates a customer (`editing` absent) or replaces one; the API's refusals land at their fields. */
export function CustomerEditor({ editing, onDone }: CatalogueEditorProps<CustomerResource>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CustomerDraft>(() =>
    editing ? customerDraftOf(editing) : emptyCustomerDraft(),
  );
  const { save, errors } = useCatalogueSave({
    prefix: 'customers',
    editingId: editing?.id,
    fields: CUSTOMER_FIELDS,
    create: async (body: ReturnType<typeof customerBodyOf>, header) =>
      unwrap(await api.POST('/v1/customers', { params: { header }, body })),
    replace: async (id, body) =>
      unwrap(await api.PUT('/v1/customers/{id}', { params: { path: { id } }, body })),
    onSaved: (saved) => {
      // A customer saved with warnings (they never block) is announced with them, so the person can still fix it.
      const warnings = saved.warnings.map((warning) => warning.message);
      onDone([t('customers.saved'), ...(warnings.length > 0 ? [t('customers.warnings'), ...warnings] : [])]);
    },
  });
  const set = (patch: Partial<CustomerDraft>) => setDraft((previous) => ({ ...previous, ...patch }));

  const text = (path: string, label: MessageKey, key: keyof CustomerDraft, type = 'text') => (
    <Field label={t(label)} errors={errors.fields[path]}>
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
    path: string,
    label: MessageKey,
    value: T,
    options: readonly T[],
    optionLabel: (option: T) => MessageKey,
    onChange: (value: T) => void,
  ) => (
    <Field label={t(label)} errors={errors.fields[path]}>
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
    <CatalogueEditorFrame
      prefix="customers"
      noun="customer"
      creating={editing === undefined}
      error={save.error}
      formErrors={errors.form}
      pending={save.isPending}
      onSubmit={() => save.mutate(customerBodyOf(draft))}
      onCancel={() => onDone(undefined)}
    >
      {choice(
        'type',
        'customers.type',
        draft.type,
        RECEIVER_TYPES,
        (type) => `customers.type.${type}`,
        (type) => set({ type }),
      )}
      {text('name', 'customers.name', 'name')}
      {hasRuc(draft.type) && (
        <>
          {choice(
            'rucType',
            'customers.rucType',
            draft.rucType,
            ['1', '2'] as const,
            (rucType) => `customers.rucType.${rucType}`,
            (rucType) => set({ rucType }),
          )}
          {text('ruc', 'customers.ruc', 'ruc')}
          {text('dv', 'customers.dv', 'dv')}
          {text('address', 'customers.address', 'address')}
          {text('location.code', 'customers.locationCode', 'locationCode')}
          {text('location.province', 'customers.province', 'province')}
          {text('location.district', 'customers.district', 'district')}
          {text('location.corregimiento', 'customers.corregimiento', 'corregimiento')}
        </>
      )}
      {draft.type === 'foreign' && (
        <>
          {choice(
            'foreignId.type',
            'customers.foreignIdType',
            draft.foreignIdType,
            FOREIGN_ID_TYPES,
            (type) => `customers.foreignIdType.${type}`,
            (foreignIdType) => set({ foreignIdType }),
          )}
          {text('foreignId.number', 'customers.foreignIdNumber', 'foreignIdNumber')}
          {text('foreignId.country', 'customers.foreignIdCountry', 'foreignIdCountry')}
          {text('address', 'customers.address', 'address')}
        </>
      )}
      {text('phones', 'customers.phones', 'phones', 'tel')}
      {text('emails', 'customers.emails', 'emails')}
      {text('country', 'customers.country', 'country')}
      {draft.country.trim().toUpperCase() === 'ZZ' &&
        text('countryName', 'customers.countryName', 'countryName')}
    </CatalogueEditorFrame>
  );
}
