import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CONTINGENCY_AFTER_MINUTES } from '#shared/contingency/decision';
import { api, unwrap } from '../../api/client';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { failureSentence } from '../../components/form-errors';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import { ManageOnly, Saved } from './company-form';

type Settings = Awaited<ReturnType<typeof loadSettings>>;
type Draft = Omit<Settings, 'lowFolioThreshold' | 'contingency'> & {
  lowFolioThreshold: string;
  contingency: { enabled: boolean; afterMinutes: string };
};

const CHANNELS = ['hka-integration', 'emitter-signed'] as const;

async function loadSettings() {
  return unwrap(await api.GET('/v1/settings/issuing'));
}

function draftOf(settings: Settings): Draft {
  return {
    ...settings,
    lowFolioThreshold: String(settings.lowFolioThreshold),
    contingency: {
      enabled: settings.contingency.enabled,
      afterMinutes: String(settings.contingency.afterMinutes),
    },
  };
}

/** Numbers as typed: what is not a number goes as text, so the API names the field instead of guessing. */
function numberOrText(value: string): number {
  const trimmed = value.trim();
  return (trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed) as number;
}

/** Emisión: channel, environment, defaults and contingency. */
export default function IssuingPage() {
  return (
    <ManageOnly>
      <IssuingSection />
    </ManageOnly>
  );
}

function IssuingSection() {
  const { t, language } = useI18n();
  const settings = useQuery({ queryKey: ['settings', 'issuing'], queryFn: loadSettings });
  if (settings.isPending) return <p>{t('common.loading')}</p>;
  if (settings.isError) return <p role="alert">{failureSentence(settings.error, language)}</p>;
  return <IssuingForm settings={settings.data} />;
}

function IssuingForm({ settings }: { settings: Settings }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft, discardDraft] = useKeptDraft<Draft>('issuing', () => draftOf(settings));
  const branches = useQuery({
    queryKey: ['branches'],
    queryFn: async () => unwrap(await api.GET('/v1/branches')),
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/v1/settings/issuing', {
          body: {
            channel: draft.channel,
            environment: draft.environment,
            lowFolioThreshold: numberOrText(draft.lowFolioThreshold),
            defaultBranch: draft.defaultBranch,
            defaultPointOfSale: draft.defaultPointOfSale.trim(),
            cafeLayout: draft.cafeLayout,
            promoteWarnings: draft.promoteWarnings,
            contingency: {
              enabled: draft.contingency.enabled,
              afterMinutes: numberOrText(draft.contingency.afterMinutes),
            },
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['settings', 'issuing'], saved);
      discardDraft(draftOf(saved));
    },
  });
  const form = useFormErrors(save.error, {
    channel: t('issuing.channel'),
    environment: t('issuing.environment'),
    lowFolioThreshold: t('issuing.lowFolioThreshold'),
    defaultBranch: t('issuing.defaultBranch'),
    defaultPointOfSale: t('issuing.defaultPointOfSale'),
    cafeLayout: t('issuing.cafeLayout'),
    promoteWarnings: t('issuing.promoteWarnings'),
    'contingency.enabled': t('issuing.contingencyEnabled'),
    'contingency.afterMinutes': t('issuing.afterMinutes', CONTINGENCY_AFTER_MINUTES),
  });
  const { errors } = form;
  const set = (patch: Partial<Draft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const setContingency = (patch: Partial<Draft['contingency']>) =>
    setDraft((previous) => ({ ...previous, contingency: { ...previous.contingency, ...patch } }));

  return (
    <form
      className="card"
      noValidate
      aria-labelledby="issuing-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate();
      }}
    >
      <h2 id="issuing-heading">{t('issuing.title')}</h2>
      <FormErrorSummary form={form} />
      <div className="grid">
        <Field {...form.field('channel')}>
          {(props) => (
            <select
              {...props}
              value={draft.channel}
              onChange={(event) => set({ channel: event.target.value as Draft['channel'] })}
            >
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`issuing.channel.${channel}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field {...form.field('environment')}>
          {(props) => (
            <select
              {...props}
              value={draft.environment}
              onChange={(event) => set({ environment: event.target.value as Draft['environment'] })}
            >
              <option value="demo">{t('hka.env.demo')}</option>
              <option value="prod">{t('hka.env.prod')}</option>
            </select>
          )}
        </Field>
        <Field {...form.field('lowFolioThreshold')}>
          {(props) => (
            <input
              {...props}
              inputMode="numeric"
              value={draft.lowFolioThreshold}
              onChange={(event) => set({ lowFolioThreshold: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('defaultBranch')}>
          {(props) => (
            <select
              {...props}
              value={draft.defaultBranch}
              onChange={(event) => set({ defaultBranch: event.target.value })}
            >
              {/* The current value stays choosable while the list loads (or if it no longer exists). */}
              {!(branches.data ?? []).some((branch) => branch.code === draft.defaultBranch) && (
                <option value={draft.defaultBranch}>{draft.defaultBranch}</option>
              )}
              {(branches.data ?? []).map((branch) => (
                <option key={branch.code} value={branch.code}>
                  {branch.code} · {branch.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field {...form.field('defaultPointOfSale')}>
          {(props) => (
            <input
              {...props}
              inputMode="numeric"
              value={draft.defaultPointOfSale}
              onChange={(event) => set({ defaultPointOfSale: event.target.value })}
            />
          )}
        </Field>
        <Field {...form.field('cafeLayout')}>
          {(props) => (
            <select
              {...props}
              value={draft.cafeLayout}
              onChange={(event) => set({ cafeLayout: event.target.value as Draft['cafeLayout'] })}
            >
              <option value="letter">{t('issuing.cafeLayout.letter')}</option>
              <option value="ticket">{t('issuing.cafeLayout.ticket')}</option>
            </select>
          )}
        </Field>
      </div>
      <label className="check">
        <input
          type="checkbox"
          id={form.idOf('promoteWarnings')}
          aria-invalid={errors.fields.promoteWarnings !== undefined}
          {...(errors.fields.promoteWarnings
            ? { 'aria-describedby': `${form.idOf('promoteWarnings')}-error` }
            : {})}
          checked={draft.promoteWarnings}
          onChange={(event) => set({ promoteWarnings: event.target.checked })}
        />
        {t('issuing.promoteWarnings')}
      </label>
      {errors.fields.promoteWarnings && (
        <p className="field-error" id={`${form.idOf('promoteWarnings')}-error`}>
          {errors.fields.promoteWarnings.join(' · ')}
        </p>
      )}
      <fieldset className="line">
        <legend>{t('issuing.contingency')}</legend>
        <p className="muted">{t('issuing.contingencyExplain')}</p>
        {draft.channel !== 'emitter-signed' && <p>{t('issuing.contingencyOnlySigned')}</p>}
        <label className="check">
          <input
            type="checkbox"
            checked={draft.contingency.enabled}
            id={form.idOf('contingency.enabled')}
            aria-invalid={errors.fields['contingency.enabled'] !== undefined}
            {...(errors.fields['contingency.enabled']
              ? { 'aria-describedby': `${form.idOf('contingency.enabled')}-error` }
              : {})}
            onChange={(event) => setContingency({ enabled: event.target.checked })}
          />
          {t('issuing.contingencyEnabled')}
        </label>
        {errors.fields['contingency.enabled'] && (
          <p className="field-error" id={`${form.idOf('contingency.enabled')}-error`}>
            {errors.fields['contingency.enabled'].join(' · ')}
          </p>
        )}
        <Field {...form.field('contingency.afterMinutes')}>
          {(props) => (
            <input
              {...props}
              inputMode="numeric"
              value={draft.contingency.afterMinutes}
              onChange={(event) => setContingency({ afterMinutes: event.target.value })}
            />
          )}
        </Field>
      </fieldset>
      <p className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t('company.saving') : t('issuing.save')}
        </button>
      </p>
      <Saved text={save.isSuccess ? t('issuing.saved') : undefined} />
    </form>
  );
}
