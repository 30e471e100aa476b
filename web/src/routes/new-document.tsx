import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { type ErrorDetail, mapErrorDetails } from '../api/error-paths';
import { CataloguePicker } from '../components/catalogue-picker';
import { Field } from '../components/field';
import { failureSentence, formErrors as refusalErrors } from '../components/form-errors';
import { checkDocument } from '../fiscal/live-totals';
import { useKeptDraft } from '../forms/use-kept-draft';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { CustomerResource, ForeignIdType } from './customer-form';
import { FOREIGN_ID_TYPES, hasRuc } from './customer-form';
import {
  acceptDraft,
  bodyOf,
  DOCUMENT_TYPES,
  type DocumentDraft,
  emptyDraft,
  emptyLine,
  type LineDraft,
  needsCufeReference,
  noteDraftOf,
  RECEIVER_TYPES,
  requestOf,
  withCustomer,
  withProduct,
} from './new-document-form';
import type { ProductResource } from './product-form';

const PAYMENT_METHODS = ['cash', 'debit-card', 'credit-card', 'transfer', 'credit'] as const;
const ITBMS_RATES = ['0', '7', '10', '15'] as const;
/** The API's pre-flight runs once typing pauses this long (the schema and totals run on every key). */
const VALIDATE_PAUSE_MS = 800;

const route = getRouteApi('/documents/new');

/** A value that follows `value` once it stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export default function NewDocumentPage() {
  const { t, money, language } = useI18n();
  const navigate = useNavigate();
  const search = route.useSearch();
  // Every keystroke is kept in this tab: an expired session sends the person to sign in and back here.
  const [draft, setDraft, discardDraft] = useKeptDraft<DocumentDraft>(
    'new-document',
    emptyDraft,
    acceptDraft,
  );
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  // Set synchronously: a second click lands before React re-renders the disabled button.
  const sending = useRef(false);

  // `?from=<id>&kind=credit-note|debit-note`: the note starts from the original (once; a kept draft of the
  // same original is not overwritten after a new sign-in).
  const noteSource = search.from && search.kind && draft.from !== search.from ? search.from : undefined;
  const original = useQuery({
    queryKey: ['documents', 'note-source', noteSource],
    enabled: noteSource !== undefined,
    queryFn: async () => {
      const path = { id: String(noteSource) };
      const [document, lines] = await Promise.all([
        api.GET('/v1/documents/{id}', { params: { path } }).then(unwrap),
        api.GET('/v1/documents/{id}/lines', { params: { path } }).then(unwrap),
      ]);
      const customer = document.customerId
        ? await api
            .GET('/v1/customers/{id}', { params: { path: { id: document.customerId } } })
            .then(unwrap)
            .catch(() => undefined)
        : undefined;
      return { document, customer, lines: lines.items };
    },
  });
  useEffect(() => {
    if (original.data && search.kind && draft.from !== original.data.document.id)
      setDraft(noteDraftOf(original.data.document, original.data.customer, search.kind, original.data.lines));
  }, [original.data, search.kind, draft.from, setDraft]);

  const live = useMemo(() => {
    const probe = checkDocument(bodyOf(draft, '0.00'));
    return probe.totals ? checkDocument(bodyOf(draft, probe.totals.total)) : probe;
  }, [draft]);

  // The API's pre-flight (the company's rules, the DV, the references) once the schema passes and typing pauses.
  const request = live.totals ? JSON.stringify(requestOf(draft, live.totals.total)) : undefined;
  const settledRequest = useSettled(request, VALIDATE_PAUSE_MS);
  const validation = useQuery({
    queryKey: ['documents', 'validate', settledRequest],
    enabled: settledRequest !== undefined && settledRequest === request,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () =>
      unwrap(await api.POST('/v1/documents/validate', { body: JSON.parse(String(settledRequest)) })),
  });
  const serverCheck = validation.data && settledRequest === request ? validation.data : undefined;

  const preview = useMutation({
    mutationFn: async (body: string) =>
      unwrap(await api.POST('/v1/documents/preview', { body: JSON.parse(body) })),
  });

  const issue = useMutation({
    mutationFn: async (body: string) =>
      unwrap(
        await api.POST('/v1/documents', {
          params: { header: { 'Idempotency-Key': draft.idempotencyKey } },
          body: JSON.parse(body),
        }),
      ),
    onSettled: () => {
      sending.current = false;
    },
    // A refusal is final for that body: the corrected draft is a new request and needs a new key (the API
    // answers 409 to a known key with another body). Network failures and 5xx keep the key, so a retry
    // cannot issue twice.
    onError: (error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500)
        setDraft((previous) => ({ ...previous, idempotencyKey: crypto.randomUUID() }));
    },
    onSuccess: (document) => {
      discardDraft();
      void navigate({ to: '/documents/$id', params: { id: document.id } });
    },
  });

  const receiverFields = hasRuc(draft.receiverType)
    ? [
        'receiver.rucType',
        'receiver.ruc',
        'receiver.dv',
        'receiver.address',
        'receiver.location.code',
        'receiver.location.province',
        'receiver.location.district',
        'receiver.location.corregimiento',
      ]
    : draft.receiverType === 'foreign'
      ? [
          'receiver.foreignId.type',
          'receiver.foreignId.number',
          'receiver.foreignId.country',
          'receiver.address',
          'receiver.country',
        ]
      : [];
  const fieldNames = [
    'type',
    'receiver.name',
    ...receiverFields,
    'receiver.emails',
    ...(draft.documentType === 'export-invoice' ? ['export.incoterm'] : []),
    ...(needsCufeReference(draft.documentType) ? ['references[0].cufe', 'references[0].issuedAt'] : []),
    'payments',
    ...draft.items.flatMap((_, index) =>
      ['description', 'quantity', 'unitPrice', 'unitDiscount', 'itbmsRate'].map(
        (name) => `items[${index}].${name}`,
      ),
    ),
  ];
  const fromApi = (details: readonly ErrorDetail[]) => mapErrorDetails(details, fieldNames, language);
  // The refusal in words and its details at their fields, as on every form; the live checks below merge in.
  const issueErrors = refusalErrors(issue.error, fieldNames, language);
  const previewErrors = preview.data && !preview.data.valid ? fromApi(preview.data.errors) : undefined;
  const liveErrors = fromApi(live.issues);
  const serverErrors = serverCheck ? fromApi(serverCheck.errors) : { fields: {}, form: [] };
  const errorsAt = (path: string): string[] | undefined => {
    const shown = submitted || touched.has(path) ? (liveErrors.fields[path] ?? []) : [];
    const all = [
      ...new Set([
        ...shown,
        ...(serverErrors.fields[path] ?? []),
        ...(previewErrors?.fields[path] ?? []),
        ...(issueErrors.fields[path] ?? []),
      ]),
    ];
    return all.length > 0 ? all : undefined;
  };
  const formErrors = [
    ...new Set([...serverErrors.form, ...(previewErrors?.form ?? []), ...issueErrors.form]),
  ];
  const touch = (path: string) => setTouched((previous) => new Set(previous).add(path));
  const set = (patch: Partial<DocumentDraft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const setLine = (index: number, patch: Partial<LineDraft>) =>
    setDraft((previous) => ({
      ...previous,
      items: previous.items.map((line, at) => (at === index ? { ...line, ...patch } : line)),
    }));
  // A receiver field typed over a picked customer overrides the customer's (the API's rule for references);
  // choosing another receiver type unlinks the customer.
  const text = (
    path: string,
    label: MessageKey,
    value: string,
    onChange: (value: string) => void,
    type = 'text',
  ) => (
    <Field label={t(label)} errors={errorsAt(path)}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => touch(path)}
        />
      )}
    </Field>
  );
  const searchCustomers = async (q: string): Promise<CustomerResource[]> =>
    unwrap(await api.GET('/v1/customers', { params: { query: { q, limit: 8 } } })).items;
  // The API looks one word up as a code and as a description (codes first), several words as a description.
  const searchProducts = async (q: string): Promise<ProductResource[]> =>
    unwrap(await api.GET('/v1/products', { params: { query: { q, limit: 8 } } })).items;
  const pickerTexts = {
    results: t('new.picker.results'),
    none: t('new.picker.none'),
    searching: t('new.picker.searching'),
    pick: (item: string) => t('new.picker.pick', { item }),
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (sending.current || !live.totals) return;
        sending.current = true;
        issue.mutate(JSON.stringify(requestOf(draft, live.totals.total)));
      }}
    >
      <h1>{t('new.title')}</h1>
      {noteSource && original.isPending && <p>{t('new.note.loading')}</p>}
      {original.isError && <p role="alert">{failureSentence(original.error, language)}</p>}
      {submitted && !live.totals && <p role="alert">{t('new.fixErrors')}</p>}
      {formErrors.length > 0 && (
        <div role="alert" className="alert">
          <ul>
            {formErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="card">
        <legend>{t('new.document')}</legend>
        <div className="grid">
          <Field label={t('new.documentType')} errors={errorsAt('type')}>
            {(props) => (
              <select
                {...props}
                value={draft.documentType}
                onChange={(e) =>
                  set({ documentType: DOCUMENT_TYPES.find((type) => type === e.target.value) ?? 'invoice' })
                }
              >
                {DOCUMENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`new.type.${type}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {needsCufeReference(draft.documentType) && (
            <>
              {text('references[0].cufe', 'new.referenceCufe', draft.referenceCufe, (referenceCufe) =>
                set({ referenceCufe }),
              )}
              {text(
                'references[0].issuedAt',
                'new.referenceIssuedAt',
                draft.referenceIssuedAt,
                (referenceIssuedAt) => set({ referenceIssuedAt }),
              )}
            </>
          )}
          {draft.documentType === 'export-invoice' &&
            text('export.incoterm', 'new.incoterm', draft.incoterm, (incoterm) => set({ incoterm }))}
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t('new.receiver')}</legend>
        <CataloguePicker
          label={t('new.pickCustomer')}
          catalogue="customers"
          search={searchCustomers}
          describe={(customer) => (customer.ruc ? `${customer.name} — RUC ${customer.ruc}` : customer.name)}
          onPick={(customer) => setDraft((previous) => withCustomer(previous, customer))}
          texts={pickerTexts}
        />
        {draft.customerId && (
          <p className="muted">
            {t('new.fromCatalogue')}{' '}
            <button type="button" className="secondary" onClick={() => set({ customerId: undefined })}>
              {t('new.unlinkCustomer')}
            </button>
          </p>
        )}
        <div className="radio-row" role="radiogroup" aria-label={t('new.receiverType')}>
          {RECEIVER_TYPES.map((type) => (
            <label key={type}>
              <input
                type="radio"
                name="receiverType"
                value={type}
                checked={draft.receiverType === type}
                onChange={() => set({ receiverType: type, customerId: undefined })}
              />
              {t(`new.receiver.${type}`)}
            </label>
          ))}
        </div>
        <div className="grid">
          {text('receiver.name', 'new.name', draft.name, (name) => set({ name }))}
          {hasRuc(draft.receiverType) && (
            <>
              <Field label={t('new.rucType')} errors={errorsAt('receiver.rucType')}>
                {(props) => (
                  <select
                    {...props}
                    value={draft.rucType}
                    onChange={(e) => set({ rucType: e.target.value === '1' ? '1' : '2' })}
                  >
                    <option value="2">{t('new.rucType.2')}</option>
                    <option value="1">{t('new.rucType.1')}</option>
                  </select>
                )}
              </Field>
              {text('receiver.ruc', 'new.ruc', draft.ruc, (ruc) => set({ ruc }))}
              {text('receiver.dv', 'new.dv', draft.dv, (dv) => set({ dv }))}
              {text('receiver.address', 'new.address', draft.address, (address) => set({ address }))}
              {text('receiver.location.code', 'new.locationCode', draft.locationCode, (locationCode) =>
                set({ locationCode }),
              )}
              {text('receiver.location.province', 'new.province', draft.province, (province) =>
                set({ province }),
              )}
              {text('receiver.location.district', 'new.district', draft.district, (district) =>
                set({ district }),
              )}
              {text(
                'receiver.location.corregimiento',
                'new.corregimiento',
                draft.corregimiento,
                (corregimiento) => set({ corregimiento }),
              )}
            </>
          )}
          {draft.receiverType === 'foreign' && (
            <>
              <Field label={t('new.foreignIdType')} errors={errorsAt('receiver.foreignId.type')}>
                {(props) => (
                  <select
                    {...props}
                    value={draft.foreignIdType}
                    onChange={(e) =>
                      set({
                        foreignIdType:
                          FOREIGN_ID_TYPES.find((type): type is ForeignIdType => type === e.target.value) ??
                          'passport',
                      })
                    }
                  >
                    {FOREIGN_ID_TYPES.map((type) => (
                      <option key={type} value={type}>
                        {t(`customers.foreignIdType.${type}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {text(
                'receiver.foreignId.number',
                'new.foreignIdNumber',
                draft.foreignIdNumber,
                (foreignIdNumber) => set({ foreignIdNumber }),
              )}
              {text(
                'receiver.foreignId.country',
                'new.foreignIdCountry',
                draft.foreignIdCountry,
                (foreignIdCountry) => set({ foreignIdCountry }),
              )}
              {text('receiver.address', 'new.address', draft.address, (address) => set({ address }))}
              {text('receiver.country', 'new.country', draft.country, (country) => set({ country }))}
            </>
          )}
          {text('receiver.emails', 'new.email', draft.email, (email) => set({ email }), 'email')}
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t('new.items')}</legend>
        {draft.items.map((line, index) => (
          // Lines have no identity but their place; the form rebuilds them in order.
          // biome-ignore lint/suspicious/noArrayIndexKey: a line is its position in the document
          <fieldset key={index} className="line">
            <legend>{t('new.line', { n: index + 1 })}</legend>
            <CataloguePicker
              label={t('new.pickProduct', { n: index + 1 })}
              catalogue="products"
              search={searchProducts}
              describe={(product) =>
                `${product.code} — ${product.description} (${money(String(product.unitPrice))})`
              }
              onPick={(product) =>
                setDraft((previous) => ({
                  ...previous,
                  items: previous.items.map((at, position) =>
                    position === index ? withProduct(at, product) : at,
                  ),
                }))
              }
              texts={pickerTexts}
            />
            <div className="grid">
              {text(`items[${index}].description`, 'new.description', line.description, (description) =>
                setLine(index, { description }),
              )}
              {text(`items[${index}].quantity`, 'new.quantity', line.quantity, (quantity) =>
                setLine(index, { quantity }),
              )}
              {text(`items[${index}].unitPrice`, 'new.unitPrice', line.unitPrice, (unitPrice) =>
                setLine(index, { unitPrice }),
              )}
              {line.unitDiscount !== undefined &&
                text(`items[${index}].unitDiscount`, 'new.unitDiscount', line.unitDiscount, (unitDiscount) =>
                  setLine(index, { unitDiscount }),
                )}
              <Field label={t('new.itbmsRate')} errors={errorsAt(`items[${index}].itbmsRate`)}>
                {(props) => (
                  <select
                    {...props}
                    value={line.itbmsRate}
                    onChange={(e) => setLine(index, { itbmsRate: e.target.value })}
                  >
                    {ITBMS_RATES.map((rate) => (
                      <option key={rate} value={rate}>
                        {rate} %
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            {line.kept && <p className="muted">{t('new.line.kept')}</p>}
            {draft.items.length > 1 && (
              <button
                type="button"
                className="secondary"
                onClick={() => set({ items: draft.items.filter((_, at) => at !== index) })}
              >
                {t('new.removeLine', { n: index + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => set({ items: [...draft.items, emptyLine()] })}
        >
          {t('new.addLine')}
        </button>
      </fieldset>
      <fieldset className="card">
        <legend>{t('new.payment')}</legend>
        <Field label={t('new.payment')} errors={errorsAt('payments')}>
          {(props) => (
            <select
              {...props}
              value={draft.paymentMethod}
              onChange={(e) =>
                set({ paymentMethod: PAYMENT_METHODS.find((method) => method === e.target.value) ?? 'cash' })
              }
            >
              {PAYMENT_METHODS.map((method) => (
                <option key={method} value={method}>
                  {t(`new.payment.${method}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <section className="card" aria-labelledby="totals-heading" aria-live="polite">
        <h2 id="totals-heading">{t('new.totals')}</h2>
        {live.totals ? (
          <dl className="totals">
            <dt>{t('document.net')}</dt>
            <dd data-testid="live-net">{money(live.totals.net)}</dd>
            <dt>{t('document.itbms')}</dt>
            <dd data-testid="live-itbms">{money(live.totals.itbms)}</dd>
            <dt>{t('documents.total')}</dt>
            <dd data-testid="live-total">{money(live.totals.total)}</dd>
          </dl>
        ) : (
          <p>{t('new.totalsPending')}</p>
        )}
        {serverCheck && serverCheck.warnings.length > 0 && (
          <>
            <h3>{t('new.warnings')}</h3>
            <ul>
              {serverCheck.warnings.map((warning) => (
                <li key={`${warning.path}:${warning.message}`}>
                  {warning.path ? `${warning.path}: ` : ''}
                  {warning.message}
                  {warning.hint ? ` — ${warning.hint}` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
        {serverCheck?.valid && <p className="muted">{t('new.checked')}</p>}
      </section>
      <section className="card" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t('new.preview')}</h2>
        <p className="muted">{t('new.previewHelp')}</p>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={preview.isPending || !live.totals}
            onClick={() => {
              setSubmitted(true);
              if (live.totals) preview.mutate(JSON.stringify(requestOf(draft, live.totals.total)));
            }}
          >
            {preview.isPending ? t('new.previewing') : t('new.previewButton')}
          </button>
          {preview.data?.pdf && (
            <a
              href={preview.data.pdf.url}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="preview-pdf"
            >
              {t('new.previewOpen')}
            </a>
          )}
        </div>
        {preview.data && !preview.data.valid && <p role="alert">{t('new.previewInvalid')}</p>}
        {preview.error && <p role="alert">{failureSentence(preview.error, language)}</p>}
      </section>
      <button type="submit" disabled={issue.isPending}>
        {issue.isPending ? t('new.submitting') : t('new.submit')}
      </button>
    </form>
  );
}
