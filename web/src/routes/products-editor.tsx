import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { mapErrorDetails } from '../api/error-paths';
import { useIdempotencyKey } from '../api/idempotency';
import { Field } from '../components/field';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import {
  emptyProductDraft,
  ITBMS_PERCENTS,
  PRODUCT_FIELDS,
  type ProductDraft,
  type ProductResource,
  productBodyOf,
  productDraftOf,
} from './product-form';

type TextKey = Exclude<keyof ProductDraft, 'kept' | 'version' | 'itbmsRate'>;

/** Creates a product (`editing` absent) or replaces one; the API's refusals land at their fields. */
export function ProductEditor({
  editing,
  onDone,
}: {
  editing: ProductResource | undefined;
  onDone: (saved: boolean) => void;
}) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProductDraft>(() =>
    editing ? productDraftOf(editing) : emptyProductDraft(),
  );
  const idempotencyKey = useIdempotencyKey();
  const save = useMutation({
    mutationFn: async (body: ReturnType<typeof productBodyOf>) =>
      editing
        ? unwrap(await api.PUT('/v1/products/{id}', { params: { path: { id: editing.id } }, body }))
        : unwrap(
            await api.POST('/v1/products', {
              params: { header: idempotencyKey.header() },
              body,
            }),
          ),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['products'] });
      onDone(true);
    },
  });
  const errors =
    save.error instanceof ApiError
      ? mapErrorDetails(save.error.details, PRODUCT_FIELDS, language)
      : { fields: {}, form: [] };

  const text = (path: string, label: MessageKey, key: TextKey, inputMode?: 'decimal') => (
    <Field label={t(label)} errors={errors.fields[path]}>
      {(props) => (
        <input
          {...props}
          {...(inputMode ? { inputMode } : {})}
          value={draft[key]}
          onChange={(event) => {
            const value = event.target.value;
            setDraft((previous) => ({ ...previous, [key]: value }));
          }}
        />
      )}
    </Field>
  );

  return (
    <form
      className="card"
      noValidate
      aria-labelledby="product-editor-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate(productBodyOf(draft));
      }}
    >
      <h2 id="product-editor-title">{t(editing ? 'products.editTitle' : 'products.createTitle')}</h2>
      {save.error && (
        <div role="alert" className="alert">
          <p>{save.error instanceof ApiError ? t('products.fixErrors') : save.error.message}</p>
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
        {text('code', 'products.code', 'code')}
        {text('description', 'products.description', 'description')}
        {text('unitPrice', 'products.unitPrice', 'unitPrice', 'decimal')}
        <Field label={t('products.itbmsRate')} errors={errors.fields.itbmsRate}>
          {(props) => (
            <select
              {...props}
              value={draft.itbmsRate}
              onChange={(event) => {
                const itbmsRate = event.target.value;
                setDraft((previous) => ({ ...previous, itbmsRate }));
              }}
            >
              {ITBMS_PERCENTS.map((rate) => (
                <option key={rate} value={rate}>
                  {rate} %
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('unit', 'products.unit', 'unit')}
        {text('cpbs.segment', 'products.cpbsSegment', 'cpbsSegment')}
        {text('cpbs.family', 'products.cpbsFamily', 'cpbsFamily')}
        {text('info', 'products.info', 'info')}
      </div>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t('products.saving') : t('products.save')}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t('products.cancel')}
        </button>
      </div>
    </form>
  );
}
