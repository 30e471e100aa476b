import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { CatalogueEditorFrame } from '../components/catalogue-editor-frame';
import type { CatalogueEditorProps } from '../components/catalogue-page';
import { useCatalogueSave } from '../components/catalogue-save';
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
export function ProductEditor({ editing, onDone }: CatalogueEditorProps<ProductResource>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ProductDraft>(() =>
    editing ? productDraftOf(editing) : emptyProductDraft(),
  );
  const { save, errors } = useCatalogueSave({
    prefix: 'products',
    editingId: editing?.id,
    fields: PRODUCT_FIELDS,
    create: async (body: ReturnType<typeof productBodyOf>, header) =>
      unwrap(await api.POST('/v1/products', { params: { header }, body })),
    replace: async (id, body) =>
      unwrap(await api.PUT('/v1/products/{id}', { params: { path: { id } }, body })),
    onSaved: () => onDone([t('products.saved')]),
  });

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
    <CatalogueEditorFrame
      prefix="products"
      noun="product"
      creating={editing === undefined}
      error={save.error}
      formErrors={errors.form}
      pending={save.isPending}
      onSubmit={() => save.mutate(productBodyOf(draft))}
      onCancel={() => onDone(undefined)}
    >
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
    </CatalogueEditorFrame>
  );
}
