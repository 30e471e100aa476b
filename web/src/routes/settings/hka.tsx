import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { failureSentence } from '../../components/form-errors';
import { useI18n } from '../../i18n/i18n';
import { ManageOnly, Saved } from './company-form';

type Environment = 'demo' | 'prod';
const ENVIRONMENTS: readonly Environment[] = ['demo', 'prod'];
/** Pages of the audit trail read to find the last change of each environment's pair. */
const AUDIT_PAGES = 3;

/**
 * When each environment's pair was last stored, from the audit trail: the API never returns the tokens, so
 * "set, when and by whom" is all the console can show of them.
 */
async function lastChanges() {
  const found = new Map<string, { at: string; who: string }>();
  let cursor: string | undefined;
  for (let page = 0; page < AUDIT_PAGES; page += 1) {
    const { items, nextCursor } = unwrap(
      await api.GET('/v1/audit-events', {
        params: { query: { action: 'hka-credentials.set', limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    for (const event of items)
      if (!found.has(event.target.id))
        found.set(event.target.id, {
          at: event.at,
          who: event.actor.email ?? event.actor.prefix ?? event.actor.id,
        });
    if (!nextCursor || ENVIRONMENTS.every((environment) => found.has(environment))) break;
    cursor = nextCursor;
  }
  return found;
}

/** Credenciales HKA: the token pair (write-only) and the connection test. */
export default function HkaPage() {
  return (
    <ManageOnly>
      <HkaSection />
    </ManageOnly>
  );
}

function HkaSection() {
  const { t, language, dateTime, count } = useI18n();
  const queryClient = useQueryClient();
  const [environment, setEnvironment] = useState<Environment>('demo');
  const [tokenEmpresa, setTokenEmpresa] = useState('');
  const [tokenPassword, setTokenPassword] = useState('');
  const changes = useQuery({ queryKey: ['hka-credentials', 'changes'], queryFn: lastChanges });
  const environmentName = (value: Environment) => t(value === 'demo' ? 'hka.env.demo' : 'hka.env.prod');

  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/v1/settings/hka-credentials', { body: { environment, tokenEmpresa, tokenPassword } }),
      ),
    onSuccess: () => {
      // The tokens leave the page once stored: nothing of them stays on screen.
      setTokenEmpresa('');
      setTokenPassword('');
      void queryClient.invalidateQueries({ queryKey: ['hka-credentials'] });
    },
  });
  const form = useFormErrors(save.error, {
    environment: t('hka.environment'),
    tokenEmpresa: t('hka.tokenEmpresa'),
    tokenPassword: t('hka.tokenPassword'),
  });
  // Without an environment the API tests the one the company issues in (Emisión), which is what matters.
  const test = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/v1/settings/hka-credentials/test', { params: { query: {} } })),
  });

  return (
    <>
      <section className="card" aria-labelledby="hka-status-heading">
        <h2 id="hka-status-heading">{t('hka.status')}</h2>
        {changes.isError ? (
          <p role="alert">{failureSentence(changes.error, language)}</p>
        ) : (
          <ul className="plain">
            {ENVIRONMENTS.map((value) => {
              const change = changes.data?.get(value);
              return (
                <li key={value}>
                  {changes.isPending
                    ? t('common.loading')
                    : change
                      ? t('hka.setAt', {
                          environment: environmentName(value),
                          date: dateTime(change.at),
                          who: change.who,
                        })
                      : t('hka.notRecorded', { environment: environmentName(value) })}
                </li>
              );
            })}
          </ul>
        )}
        <p className="actions">
          <button type="button" className="secondary" disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? t('hka.testing') : t('hka.test')}
          </button>
        </p>
        <div role="status" data-testid="hka-test-result">
          {test.isError && <p className="alert">{failureSentence(test.error, language)}</p>}
          {test.data?.ok && (
            <p className="badge badge-authorized">
              {t('hka.testOk', {
                environment: environmentName(test.data.environment),
                available: count(test.data.folios?.available ?? 0),
                used: count(test.data.folios?.used ?? 0),
                total: count(test.data.folios?.total ?? 0),
              })}
            </p>
          )}
          {test.data && !test.data.ok && (
            <p className="alert">
              {t('hka.testFailed', {
                environment: environmentName(test.data.environment),
                reason: test.data.reason ?? '',
              })}
            </p>
          )}
        </div>
      </section>
      <form
        className="card"
        noValidate
        aria-labelledby="hka-heading"
        onSubmit={(event) => {
          event.preventDefault();
          if (!save.isPending) save.mutate();
        }}
      >
        <h2 id="hka-heading">{t('hka.title')}</h2>
        <p className="muted">{t('hka.intro')}</p>
        <FormErrorSummary form={form} />
        <div className="grid">
          <Field {...form.field('environment')}>
            {(props) => (
              <select
                {...props}
                value={environment}
                onChange={(event) => setEnvironment(event.target.value as Environment)}
              >
                {ENVIRONMENTS.map((value) => (
                  <option key={value} value={value}>
                    {environmentName(value)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field {...form.field('tokenEmpresa')}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={tokenEmpresa}
                onChange={(event) => setTokenEmpresa(event.target.value)}
              />
            )}
          </Field>
          <Field {...form.field('tokenPassword')}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="new-password"
                value={tokenPassword}
                onChange={(event) => setTokenPassword(event.target.value)}
              />
            )}
          </Field>
        </div>
        <p className="actions">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? t('company.saving') : t('hka.save')}
          </button>
        </p>
        <Saved
          text={
            save.data ? t('hka.saved', { environment: environmentName(save.data.environment) }) : undefined
          }
        />
      </form>
    </>
  );
}
