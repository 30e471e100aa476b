import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { WEBHOOK_EVENT_TYPES } from '#shared/events/catalog';
import { api, unwrap } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import type { paths } from '../../api/schema.gen';
import { useSession } from '../../auth/use-session';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { failureSentence } from '../../components/form-errors';
import { ListTable } from '../../components/list-table';
import { SecretOnce } from '../../components/secret-once';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';

type Webhook = paths['/v1/webhooks']['get']['responses'][200]['content']['application/json']['data'][number];
type WebhookEvent = Webhook['events'][number];
/** The catalogue's subscribable events, in its order (the API's enum is generated from the same list). */
const WEBHOOK_EVENTS = WEBHOOK_EVENT_TYPES as readonly WebhookEvent[];
type Delivery =
  paths['/v1/webhooks/{id}/deliveries']['get']['responses'][200]['content']['application/json']['data']['items'][number];
const WEBHOOKS = ['webhooks'] as const;
const deliveriesKey = (id: string) => ['webhooks', id, 'deliveries'] as const;

export default function WebhooksPage() {
  const { t } = useI18n();
  const session = useSession();
  // The signing secret of the endpoint just registered: this screen's state only, gone when it is left.
  const [created, setCreated] = useState<{ url: string; secret: string }>();
  if (!allowed(session, 'webhooks:manage')) return <p>{t('settings.nothing')}</p>;
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('webhooks.title')}</h2>
      <p className="muted">{t('webhooks.help')}</p>
      {created ? (
        <SecretOnce
          title={t('webhooks.secretTitle', { url: created.url })}
          secret={created.secret}
          onDone={() => setCreated(undefined)}
        />
      ) : (
        <CreateWebhookForm onCreated={setCreated} />
      )}
      <WebhooksList />
    </section>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated(webhook: { url: string; secret: string }): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft('webhook:new', () => ({
    url: '',
    events: [] as WebhookEvent[],
    description: '',
  }));
  const { url, events, description } = draft;
  const set = (patch: Partial<typeof draft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const idempotencyKey = useIdempotencyKey();
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/webhooks', {
          params: { header: idempotencyKey.header() },
          body: { url, events, ...(description.trim() ? { description } : {}) },
        }),
      ),
    onSuccess: async (webhook) => {
      idempotencyKey.answered();
      discardDraft();
      // A replay answers without the secret (it is never stored in clear): then there is nothing to show.
      if (webhook.secret) onCreated({ url: webhook.url, secret: webhook.secret });
      await queryClient.invalidateQueries({ queryKey: WEBHOOKS });
    },
    onError: (error) => idempotencyKey.answered(error),
  });
  const form = useFormErrors(create.error, {
    url: t('webhooks.url'),
    events: t('webhooks.events'),
    description: t('webhooks.description'),
  });
  const toggle = (type: WebhookEvent, on: boolean) =>
    set({
      events: on
        ? WEBHOOK_EVENTS.filter((known) => known === type || events.includes(known))
        : events.filter((e) => e !== type),
    });
  return (
    <form
      className="card"
      aria-labelledby="create-webhook-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.isPending) create.mutate();
      }}
    >
      <h3 id="create-webhook-title">{t('webhooks.create')}</h3>
      <FormErrorSummary form={form} />
      <Field {...form.field('url')}>
        {(props) => (
          <input
            {...props}
            type="url"
            required
            inputMode="url"
            placeholder="https://"
            value={url}
            onChange={(event) => set({ url: event.target.value })}
          />
        )}
      </Field>
      <fieldset className="checks" id={form.idOf('events')} tabIndex={-1}>
        <legend>{t('webhooks.events')}</legend>
        {WEBHOOK_EVENTS.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(event) => toggle(type, event.target.checked)}
            />{' '}
            <code>{type}</code>
          </label>
        ))}
        {form.errors.fields.events && <p className="field-error">{form.errors.fields.events.join(' · ')}</p>}
      </fieldset>
      <Field {...form.field('description')}>
        {(props) => (
          <input
            {...props}
            maxLength={200}
            value={description}
            onChange={(event) => set({ description: event.target.value })}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" disabled={create.isPending}>
          {t('webhooks.submit')}
        </button>
      </p>
    </form>
  );
}

function WebhooksList() {
  const { t, language } = useI18n();
  const webhooks = useQuery({
    queryKey: WEBHOOKS,
    queryFn: async () => unwrap(await api.GET('/v1/webhooks')),
  });
  if (webhooks.isPending) return <p>{t('common.loading')}</p>;
  if (webhooks.isError) return <p role="alert">{failureSentence(webhooks.error, language)}</p>;
  if (webhooks.data.length === 0) return <p>{t('webhooks.empty')}</p>;
  return (
    <ul className="plain">
      {webhooks.data.map((webhook) => (
        <li key={webhook.id}>
          <Endpoint webhook={webhook} />
        </li>
      ))}
    </ul>
  );
}

function Endpoint({ webhook }: { webhook: Webhook }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const test = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/v1/webhooks/{id}/test', { params: { path: { id: webhook.id } } })),
    onSuccess: async () => {
      setShowDeliveries(true);
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(webhook.id) });
    },
  });
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: WEBHOOKS }),
  });
  const refusal = useFormErrors(test.error ?? remove.error, {});
  const titleId = `webhook-${webhook.id}`;
  return (
    <article className="card" aria-labelledby={titleId}>
      <h3 id={titleId} className="cufe">
        {webhook.url}
      </h3>
      <p>
        {webhook.status === 'enabled' ? (
          <span className="badge badge-authorized">{t('webhooks.enabled')}</span>
        ) : (
          <span className="badge badge-failed">
            {t('webhooks.disabledSince', { at: webhook.disabledAt ? dateTime(webhook.disabledAt) : '' })}
          </span>
        )}{' '}
        {webhook.description && <span>{webhook.description}</span>}
      </p>
      <p className="muted">
        {t('webhooks.events')}: {webhook.events.join(', ')}
      </p>
      <div className="actions">
        <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
          {t('webhooks.test')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-expanded={showDeliveries}
          onClick={() => setShowDeliveries((shown) => !shown)}
        >
          {showDeliveries ? t('webhooks.hideDeliveries') : t('webhooks.deliveries')}
        </button>
        <ConfirmButton
          label={t('webhooks.delete')}
          question={t('webhooks.deleteConfirm', { url: webhook.url })}
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </div>
      {test.isSuccess && (
        <p role="status">{t('webhooks.testSent', { result: deliveryResult(test.data, t) })}</p>
      )}
      <FormErrorSummary form={refusal} />
      {showDeliveries && <Deliveries webhook={webhook} />}
    </article>
  );
}

function deliveryResult(delivery: Delivery, t: ReturnType<typeof useI18n>['t']): string {
  const code =
    delivery.lastResponseCode === null ? t('webhooks.noAnswer') : `HTTP ${delivery.lastResponseCode}`;
  return `${t(`delivery.${delivery.status}`)} (${code})`;
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t, dateTime, count } = useI18n();
  const deliveries = useInfiniteQuery({
    queryKey: deliveriesKey(webhook.id),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhook.id },
            query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <ListTable
      pending={deliveries.isPending}
      error={deliveries.error}
      empty={rows.length === 0 ? t('webhooks.noDeliveries') : undefined}
      caption={t('webhooks.deliveriesOf', { url: webhook.url })}
      captionShown
      head={
        <tr>
          <th scope="col">{t('webhooks.at')}</th>
          <th scope="col">{t('webhooks.event')}</th>
          <th scope="col">{t('webhooks.status')}</th>
          <th scope="col" className="amount">
            {t('webhooks.attempts')}
          </th>
          <th scope="col">{t('webhooks.code')}</th>
          <th scope="col" className="amount">
            {t('webhooks.duration')}
          </th>
          <th scope="col">{t('access.actions')}</th>
        </tr>
      }
      more={{ paging: deliveries, label: t('access.more') }}
    >
      {rows.map((delivery) => (
        <tr key={delivery.id}>
          <td>{dateTime(delivery.createdAt)}</td>
          <td>
            <code>{delivery.type}</code>
            {delivery.test && <span className="muted"> ({t('webhooks.testTag')})</span>}
          </td>
          <td>
            <span className={`badge badge-delivery-${delivery.status}`}>
              {t(`delivery.${delivery.status}`)}
            </span>
          </td>
          <td className="amount">{count(delivery.attempts)}</td>
          <td>
            {delivery.lastResponseCode ?? t('webhooks.noAnswer')}
            {delivery.lastError && <span className="muted"> — {delivery.lastError}</span>}
          </td>
          <td className="amount">
            {delivery.lastDurationMs === null ? '—' : `${count(delivery.lastDurationMs)} ms`}
          </td>
          <td>
            <Redeliver webhookId={webhook.id} delivery={delivery} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

function Redeliver({ webhookId, delivery }: { webhookId: string; delivery: Delivery }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const redeliver = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: webhookId, deliveryId: delivery.id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(webhookId) }),
  });
  const refusal = useFormErrors(redeliver.error, {});
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={redeliver.isPending}
        onClick={() => redeliver.mutate()}
      >
        {t('webhooks.redeliver')}
      </button>
      <FormErrorSummary form={refusal} />
    </>
  );
}
