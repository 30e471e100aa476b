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
  emptyProductDraft,
  ITBMS_PERCENTS,
  PRODUCT_FIELDS,
  type ProductDraft,
  type ProductResource,
  productBodyOf,
  productDraftOf,
} from './product-form';

type TextKey = Exclude<keyof ProductDraft, 'kept' | 'version' | 'itbmsRate'>;
type ProductPath = (typeof PRODUCT_FIELDS)[number];
const LABELS: Record<ProductPath, MessageKey> = {
  code: 'products.code',
  description: 'products.description',
  unitPrice: 'products.unitPrice',
  itbmsRate: 'products.itbmsRate',
  unit: 'products.unit',
  'cpbs.segment': 'products.cpbsSegment',
  'cpbs.family': 'products.cpbsFamily',
  info: 'products.info',
};

/** Creates a product (`editing` absent) or replaces one; the API's refusals land at their fields. */
export function ProductEditor({
  editing,
  onDone,
}: {
  editing: ProductResource | undefined;
  onDone: EditorDone;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft<ProductDraft>(`product:${editing?.id ?? 'new'}`, () =>
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
      discardDraft();
      await queryClient.invalidateQueries({ queryKey: ['products'] });
      onDone([t('products.saved')]);
    },
  });
  const form = useFormErrors(
    save.error,
    Object.fromEntries(PRODUCT_FIELDS.map((path) => [path, t(LABELS[path])])),
  );

  const text = (path: ProductPath, key: TextKey, inputMode?: 'decimal') => (
    <Field {...form.field(path)}>
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
      <FormErrorSummary form={form} />
      <div className="grid">
        {text('code', 'code')}
        {text('description', 'description')}
        {text('unitPrice', 'unitPrice', 'decimal')}
        <Field {...form.field('itbmsRate')}>
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
        {text('unit', 'unit')}
        {text('cpbs.segment', 'cpbsSegment')}
        {text('cpbs.family', 'cpbsFamily')}
        {text('info', 'info')}
      </div>
      <EditorActions
        catalogue="products"
        saving={save.isPending}
        onCancel={() => {
          discardDraft();
          onDone(undefined);
        }}
      />
    </form>
  );
}
