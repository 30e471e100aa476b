import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { mapErrorDetails } from '../api/error-paths';
import { useIdempotencyKey } from '../api/idempotency';
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
export function CustomerEditor({
  editing,
  onDone,
}: {
  editing: CustomerResource | undefined;
  onDone: (saved: { name: string; warnings: string[] } | undefined) => void;
}) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<CustomerDraft>(() =>
    editing ? customerDraftOf(editing) : emptyCustomerDraft(),
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
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      onDone({ name: saved.name, warnings: saved.warnings.map((warning) => warning.message) });
    },
  });
  const errors =
    save.error instanceof ApiError
      ? mapErrorDetails(save.error.details, CUSTOMER_FIELDS, language)
      : { fields: {}, form: [] };
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
      {save.error && (
        <div role="alert" className="alert">
          <p>{save.error instanceof ApiError ? t('customers.fixErrors') : save.error.message}</p>
          {save.error instanceof ApiError && <p>{save.error.message}</p>}
          {errors.form.length > 0 && (
            <ul>
              {errors.form.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="grid">
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
      </div>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t('customers.saving') : t('customers.save')}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(undefined)}>
          {t('customers.cancel')}
        </button>
      </div>
    </form>
  );
}
