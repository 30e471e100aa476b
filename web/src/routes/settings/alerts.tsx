import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema.gen';
import { useSession } from '../../auth/use-session';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { failureSentence } from '../../components/form-errors';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import { allowed } from '../../permissions';

type Preferences =
  paths['/v1/alert-preferences']['get']['responses'][200]['content']['application/json']['data'];
type AlertKind = Preferences['kinds'][number];
const PREFERENCES = ['alert-preferences'] as const;

export default function AlertsPage() {
  const { t, language } = useI18n();
  const session = useSession();
  const preferences = useQuery({
    queryKey: PREFERENCES,
    queryFn: async () => unwrap(await api.GET('/v1/alert-preferences')),
    enabled: allowed(session, 'settings:manage'),
  });
  if (!allowed(session, 'settings:manage')) return <p>{t('settings.nothing')}</p>;
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <p className="muted">{t('alerts.help')}</p>
      {preferences.isPending ? (
        <p>{t('common.loading')}</p>
      ) : preferences.isError ? (
        <p role="alert">{failureSentence(preferences.error, language)}</p>
      ) : (
        <PreferencesForm preferences={preferences.data} />
      )}
    </section>
  );
}

/** The API stores what is NOT wanted (opt-outs); the form asks what IS wanted, which reads more naturally. */
function PreferencesForm({ preferences }: { preferences: Preferences }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [optOut, setOptOut, discardDraft] = useKeptDraft<AlertKind[]>(
    'alert-preferences',
    () => preferences.optOut,
  );
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PUT('/v1/alert-preferences', { body: { optOut } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(PREFERENCES, saved);
      discardDraft(saved.optOut);
    },
  });
  const form = useFormErrors(save.error, { optOut: t('alerts.kinds') });
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate();
      }}
    >
      <FormErrorSummary form={form} />
      <fieldset className="checks checks-column" id={form.idOf('optOut')} tabIndex={-1}>
        <legend>{t('alerts.kinds')}</legend>
        {preferences.kinds.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={!optOut.includes(kind)}
              onChange={(event) =>
                setOptOut((current) =>
                  event.target.checked ? current.filter((k) => k !== kind) : [...current, kind],
                )
              }
            />{' '}
            {t(`alertKind.${kind}`)}
          </label>
        ))}
        {form.errors.fields.optOut && <p className="field-error">{form.errors.fields.optOut.join(' · ')}</p>}
      </fieldset>
      <p className="actions">
        <button type="submit" disabled={save.isPending}>
          {t('alerts.save')}
        </button>
      </p>
      {save.isSuccess && <p role="status">{t('alerts.saved')}</p>}
    </form>
  );
}
