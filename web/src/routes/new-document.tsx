import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { mapErrorDetails } from '../api/error-paths';
import { Field } from '../components/field';
import { checkDocument } from '../fiscal/live-totals';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import {
  bodyOf,
  type DocumentDraft,
  DRAFT_KEY,
  emptyDraft,
  emptyLine,
  type LineDraft,
  loadDraft,
} from './new-document-form';

const PAYMENT_METHODS = ['cash', 'debit-card', 'credit-card', 'transfer', 'credit'] as const;
const ITBMS_RATES = ['0', '7', '10', '15'] as const;

export default function NewDocumentPage() {
  const { t, money, language } = useI18n();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<DocumentDraft>(() => loadDraft(sessionStorage) ?? emptyDraft());
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  // Set synchronously: a second click lands before React re-renders the disabled button.
  const sending = useRef(false);

  // Every keystroke is kept in this tab: an expired session sends the person to sign in and back here.
  useEffect(() => sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft)), [draft]);

  const live = useMemo(() => {
    const probe = checkDocument(bodyOf(draft, '0.00'));
    return probe.totals ? checkDocument(bodyOf(draft, probe.totals.total)) : probe;
  }, [draft]);

  const issue = useMutation({
    mutationFn: async (body: ReturnType<typeof bodyOf>) =>
      unwrap(
        await api.POST('/v1/documents', {
          params: { header: { 'Idempotency-Key': draft.idempotencyKey } },
          body: body as never,
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
      sessionStorage.removeItem(DRAFT_KEY);
      void navigate({ to: '/documents/$id', params: { id: document.id } });
    },
  });

  const fieldNames = [
    'receiver.name',
    'receiver.ruc',
    'receiver.dv',
    'receiver.address',
    'receiver.location.code',
    'receiver.location.province',
    'receiver.location.district',
    'receiver.location.corregimiento',
    'receiver.emails',
    'payments',
    ...draft.items.flatMap((_, index) =>
      ['description', 'quantity', 'unitPrice', 'itbmsRate'].map((name) => `items[${index}].${name}`),
    ),
  ];
  const apiErrors =
    issue.error instanceof ApiError
      ? mapErrorDetails(issue.error.details, fieldNames, language)
      : { fields: {}, form: [] };
  const liveErrors = mapErrorDetails(live.issues, fieldNames, language);
  const errorsAt = (path: string): string[] | undefined => {
    const shown = submitted || touched.has(path) ? (liveErrors.fields[path] ?? []) : [];
    const all = [...shown, ...(apiErrors.fields[path] ?? [])];
    return all.length > 0 ? all : undefined;
  };
  const touch = (path: string) => setTouched((previous) => new Set(previous).add(path));
  const set = (patch: Partial<DocumentDraft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const setLine = (index: number, patch: Partial<LineDraft>) =>
    setDraft((previous) => ({
      ...previous,
      items: previous.items.map((line, at) => (at === index ? { ...line, ...patch } : line)),
    }));

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

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (sending.current || !live.totals) return;
        sending.current = true;
        issue.mutate(bodyOf(draft, live.totals.total));
      }}
    >
      <h1>{t('new.title')}</h1>
      {submitted && !live.totals && <p role="alert">{t('new.fixErrors')}</p>}
      {(apiErrors.form.length > 0 || (issue.error && !(issue.error instanceof ApiError))) && (
        <div role="alert" className="alert">
          {issue.error instanceof ApiError && <p>{issue.error.message}</p>}
          <ul>
            {[
              ...apiErrors.form,
              ...(issue.error instanceof ApiError ? [] : [issue.error?.message ?? '']),
            ].map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="card">
        <legend>{t('new.receiver')}</legend>
        <div className="radio-row" role="radiogroup" aria-label={t('new.receiverType')}>
          {(['final-consumer', 'taxpayer'] as const).map((type) => (
            <label key={type}>
              <input
                type="radio"
                name="receiverType"
                value={type}
                checked={draft.receiverType === type}
                onChange={() => set({ receiverType: type })}
              />
              {t(`new.receiver.${type}`)}
            </label>
          ))}
        </div>
        <div className="grid">
          {text('receiver.name', 'new.name', draft.name, (name) => set({ name }))}
          {draft.receiverType === 'taxpayer' && (
            <>
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
      </section>
      <button type="submit" disabled={issue.isPending}>
        {issue.isPending ? t('new.submitting') : t('new.submit')}
      </button>
    </form>
  );
}
