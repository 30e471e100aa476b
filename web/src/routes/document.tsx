import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { api, type DocumentResource, unwrap } from '../api/client';
import { type Hint, hintText } from '../api/error-paths';
import { useIdempotencyKey } from '../api/idempotency';
import { useSession } from '../auth/use-session';
import { Field } from '../components/field';
import { FormErrorSummary, useFormErrors } from '../components/form-error-summary';
import { failureSentence } from '../components/form-errors';
import { StatusBadge } from '../components/status-badge';
import { useKeptDraft } from '../forms/use-kept-draft';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { recipientsOf } from './document-recipients';

const route = getRouteApi('/documents/$id');
const SETTLING = new Set(['PROCESSING', 'WAITING_FOR_HKA', 'CONTINGENCY']);
/** The DGI's window for an anulación (the API refuses later ones with CANCELLATION_WINDOW_EXPIRED). */
const CANCEL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export default function DocumentPage() {
  const { id } = route.useParams();
  const { t, language, money, dateTime } = useI18n();
  const document = useQuery({
    queryKey: ['document', id],
    queryFn: async () => unwrap(await api.GET('/v1/documents/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && SETTLING.has(query.state.data.status) ? 1500 : false),
  });
  const events = useQuery({
    queryKey: ['document', id, 'events', document.data?.status],
    queryFn: async () => unwrap(await api.GET('/v1/documents/{id}/events', { params: { path: { id } } })),
    enabled: document.isSuccess,
  });
  if (document.isPending) return <p>{t('common.loading')}</p>;
  if (document.isError) return <p role="alert">{failureSentence(document.error, language)}</p>;
  const doc = document.data;
  return (
    <>
      <h1>{t('document.title', { number: `${doc.branch}-${doc.pointOfSale}-${doc.number}` })}</h1>
      <section className="card">
        <p>
          <StatusBadge status={doc.status} /> {doc.receiver.name ?? ''} · {dateTime(doc.issuedAt)}
        </p>
        {doc.cufe && (
          <p>
            {t('document.cufe')}: <code className="cufe">{doc.cufe}</code>
          </p>
        )}
        {doc.protocol && (
          <p>
            {t('document.protocol')}: {doc.protocol}
          </p>
        )}
        <dl className="totals" aria-label={t('document.totals')}>
          <dt>{t('document.net')}</dt>
          <dd>{money(doc.totals.net)}</dd>
          <dt>{t('document.itbms')}</dt>
          <dd>{money(doc.totals.itbms)}</dd>
          <dt>{t('documents.total')}</dt>
          <dd data-testid="document-total">{money(doc.totals.total)}</dd>
        </dl>
        {(doc.status === 'AUTHORIZED' || doc.status === 'CANCELLED') && <Downloads id={doc.id} />}
      </section>
      <Findings title={t('document.reasons')} findings={doc.reasons ?? []} />
      <Findings title={t('document.warnings')} findings={doc.warnings} />
      <ActionsPanel document={doc} />
      <CancelPanel document={doc} />
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('document.timeline')}</h2>
        <ol className="timeline">
          {(events.data ?? []).map((event) => (
            <li key={`${event.at}-${event.type}`}>
              <time dateTime={event.at}>{dateTime(event.at)}</time> <StatusBadge status={event.status} />{' '}
              {event.message ?? ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

type Finding = { path?: string; message: string; hint?: Hint };

function Findings({ title, findings }: { title: string; findings: readonly Finding[] }) {
  const { language } = useI18n();
  if (findings.length === 0) return null;
  return (
    <section className="card">
      <h2>{title}</h2>
      <ul className="plain">
        {findings.map((finding) => (
          <li key={`${finding.path}-${finding.message}`}>
            {finding.path && (
              <>
                <code className="field-path">{finding.path}</code>{' '}
              </>
            )}
            {finding.message}
            {finding.hint && <span className="muted"> — {hintText(finding.hint, language)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The files come as short-lived presigned URLs: asked for at the click, opened in a new tab. */
function Downloads({ id }: { id: string }) {
  const { t } = useI18n();
  const open = async (kind: 'pdf' | 'xml') => {
    const { url } = unwrap(
      await api.GET(kind === 'pdf' ? '/v1/documents/{id}/pdf' : '/v1/documents/{id}/xml', {
        params: { path: { id } },
      }),
    );
    window.open(url, '_blank', 'noopener');
  };
  return (
    <p className="actions">
      <button type="button" onClick={() => void open('pdf')}>
        {t('document.downloadPdf')}
      </button>
      <button type="button" className="secondary" onClick={() => void open('xml')}>
        {t('document.downloadXml')}
      </button>
    </p>
  );
}

function CancelPanel({ document }: { document: DocumentResource }) {
  const { t } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
  const [panel, setPanel, discardPanel] = useKeptDraft(`cancel:${document.id}`, () => ({
    open: false,
    reason: '',
  }));
  const { open, reason } = panel;
  const idempotencyKey = useIdempotencyKey();
  const cancel = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/documents/{id}/cancel', {
          params: { path: { id: document.id }, header: idempotencyKey.header() },
          body: { reason },
        }),
      ),
    onSuccess: (updated) => {
      discardPanel();
      queryClient.setQueryData(['document', document.id], updated);
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const form = useFormErrors(cancel.error, { reason: t('document.cancelReason') });
  if (!allowed(session, 'documents:issue') || document.status !== 'AUTHORIZED') return null;
  if (!insideCancelWindow(document)) return <p className="muted">{t('document.cancelWindow')}</p>;
  if (!open)
    return (
      <p>
        <button type="button" className="danger" onClick={() => setPanel({ open: true, reason })}>
          {t('document.cancel')}
        </button>
      </p>
    );
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        if (!cancel.isPending) cancel.mutate();
      }}
    >
      <h2>{t('document.cancel')}</h2>
      <FormErrorSummary form={form} />
      <Field {...form.field('reason')}>
        {(props) => (
          <textarea
            {...props}
            value={reason}
            minLength={15}
            maxLength={250}
            onChange={(e) => setPanel({ open: true, reason: e.target.value })}
          />
        )}
      </Field>
      <button type="submit" className="danger" disabled={cancel.isPending}>
        {t('document.cancelConfirm')}
      </button>
    </form>
  );
}

function insideCancelWindow(document: DocumentResource): boolean {
  const authorizedAt = document.authorizedAt ? Date.parse(document.authorizedAt) : Number.NaN;
  return Date.now() - authorizedAt < CANCEL_WINDOW_MS;
}

/** Resend by e-mail, retry a stuck issuing, and notes that correct this document: each for whoever may. */
function ActionsPanel({ document }: { document: DocumentResource }) {
  const { t } = useI18n();
  const session = useSession();
  const mayResend = allowed(session, 'documents:resend') && document.status === 'AUTHORIZED';
  const mayRetry =
    allowed(session, 'documents:issue') &&
    (document.status === 'FAILED' || document.status === 'WAITING_FOR_HKA');
  const mayNote = allowed(session, 'documents:issue') && document.status === 'AUTHORIZED';
  if (!mayResend && !mayRetry && !mayNote) return null;
  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('document.actions')}</h2>
      {mayNote && <NoteLinks document={document} />}
      {mayRetry && <RetryButton id={document.id} />}
      {mayResend && <ResendForm id={document.id} />}
    </section>
  );
}

/** The new-document form prefills a note from this document (`from`, `kind`). */
function NoteLinks({ document }: { document: DocumentResource }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const link = (kind: 'credit-note' | 'debit-note', label: string, className: string) => {
    const href = `/documents/new?${new URLSearchParams({ from: document.id, kind }).toString()}`;
    return (
      <a
        className={className}
        href={href}
        onClick={(event) => {
          event.preventDefault();
          void navigate({ href });
        }}
      >
        {label}
      </a>
    );
  };
  const outside = !insideCancelWindow(document);
  return (
    <>
      {outside && <p>{t('document.notesHint')}</p>}
      <p className="actions">
        {link('credit-note', t('document.creditNote'), outside ? 'button' : 'button secondary')}
        {link('debit-note', t('document.debitNote'), 'button secondary')}
      </p>
    </>
  );
}

function RetryButton({ id }: { id: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  // One key per retry asked for: a click again after a lost answer is the same retry, not a second one.
  const idempotencyKey = useIdempotencyKey();
  const retry = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/documents/{id}/retry', {
          params: { path: { id }, header: idempotencyKey.header() },
        }),
      ),
    onSuccess: (updated) => queryClient.setQueryData(['document', id], updated),
    onSettled: (_data, error) => idempotencyKey.answered(error ?? undefined),
  });
  const refusal = useFormErrors(retry.error, {});
  return (
    <>
      <p className="actions">
        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate()}>
          {t('document.retry')}
        </button>
      </p>
      {retry.isSuccess && <p role="status">{t('document.retried')}</p>}
      <FormErrorSummary form={refusal} />
    </>
  );
}

function ResendForm({ id }: { id: string }) {
  const { t } = useI18n();
  const [to, setTo, discardTo] = useKeptDraft(`resend:${id}`, () => '');
  const idempotencyKey = useIdempotencyKey();
  const resend = useMutation({
    mutationFn: async () => {
      const recipients = recipientsOf(to);
      return unwrap(
        await api.POST('/v1/documents/{id}/email', {
          params: { path: { id }, header: idempotencyKey.header() },
          body: recipients.length > 0 ? { to: recipients } : {},
        }),
      );
    },
    onSuccess: () => discardTo(),
    onSettled: (_data, error) => idempotencyKey.answered(error ?? undefined),
  });
  const form = useFormErrors(resend.error, { to: t('document.resendTo') });
  return (
    <form
      className="resend"
      aria-label={t('document.resend')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!resend.isPending) resend.mutate();
      }}
    >
      <FormErrorSummary form={form} />
      <Field {...form.field('to')}>
        {(props) => (
          <input {...props} type="text" value={to} onChange={(event) => setTo(event.target.value)} />
        )}
      </Field>
      <p className="muted">{t('document.resendHint')}</p>
      {resend.isSuccess && <p role="status">{t('document.resent', { to: resend.data.to.join(', ') })}</p>}
      <button type="submit" className="secondary" disabled={resend.isPending}>
        {t('document.resend')}
      </button>
    </form>
  );
}
