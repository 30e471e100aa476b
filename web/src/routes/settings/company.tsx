import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { failureSentence } from '../../components/form-errors';
import { useKeptDraft } from '../../forms/use-kept-draft';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { base64Of, type FileProblem, logoProblem } from './company-files';
import { ManageOnly, Saved } from './company-form';

type Profile = NonNullable<Awaited<ReturnType<typeof loadProfile>>>;
type Draft = {
  name: string;
  tradeName: string;
  address: string;
  locationCode: string;
  phone: string;
  email: string;
};
/** The logo change a save sends: absent keeps it, null removes it, a file replaces it. */
type LogoChange = { kind: 'keep' } | { kind: 'remove' } | { kind: 'replace'; base64: string; type: string };

const TEXT_FIELDS = ['name', 'tradeName', 'address', 'locationCode', 'phone', 'email'] as const;
const LABELS: Record<(typeof TEXT_FIELDS)[number], MessageKey> = {
  name: 'company.name',
  tradeName: 'company.tradeName',
  address: 'company.address',
  locationCode: 'company.locationCode',
  phone: 'company.phone',
  email: 'company.email',
};

async function loadProfile() {
  return unwrap(await api.GET('/v1/profile'));
}

function draftOf(profile: Profile): Draft {
  return {
    name: profile.name,
    tradeName: profile.tradeName ?? '',
    address: profile.address ?? '',
    locationCode: profile.locationCode ?? '',
    phone: profile.phone ?? '',
    email: profile.email ?? '',
  };
}

/** Empresa: the profile every CAFE prints, and its logo. */
export default function CompanyPage() {
  return (
    <ManageOnly>
      <CompanySection />
    </ManageOnly>
  );
}

function CompanySection() {
  const { t, language } = useI18n();
  const profile = useQuery({ queryKey: ['profile'], queryFn: loadProfile });
  if (profile.isPending) return <p>{t('common.loading')}</p>;
  if (profile.isError) return <p role="alert">{failureSentence(profile.error, language)}</p>;
  return <CompanyForm profile={profile.data} />;
}

function CompanyForm({ profile }: { profile: Profile }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  // The typed fields are kept through a new sign-in; a chosen logo is a file, which must be chosen again.
  const [draft, setDraft, discardDraft] = useKeptDraft<Draft>('company', () => draftOf(profile));
  const [logo, setLogo] = useState<LogoChange>({ kind: 'keep' });
  const [logoIssue, setLogoIssue] = useState<FileProblem>();

  const save = useMutation({
    mutationFn: async () => {
      const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
      const body = {
        name: draft.name,
        address: draft.address,
        locationCode: draft.locationCode.trim(),
        tradeName: optional(draft.tradeName),
        phone: optional(draft.phone),
        email: optional(draft.email),
        ...(logo.kind === 'remove' ? { logo: null } : {}),
        ...(logo.kind === 'replace' ? { logo: logo.base64 } : {}),
      };
      return unwrap(await api.PUT('/v1/profile', { body }));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(['profile'], saved);
      discardDraft(draftOf(saved));
      setLogo({ kind: 'keep' });
    },
  });
  const form = useFormErrors(save.error, {
    ...Object.fromEntries(TEXT_FIELDS.map((name) => [name, t(LABELS[name])])),
    logo: t('company.logoChoose'),
  });

  const chooseLogo = async (file: File | undefined) => {
    const problem = file ? logoProblem(file) : undefined;
    setLogoIssue(problem);
    if (!file || problem) return setLogo({ kind: 'keep' });
    setLogo({ kind: 'replace', base64: await base64Of(file), type: file.type });
  };
  const logoErrors = [
    ...(logoIssue?.problem === 'wrong-type' ? [t('company.logoWrongType')] : []),
    ...(logoIssue?.problem === 'too-big' ? [t('company.logoTooBig', { size: logoIssue.kilobytes })] : []),
    ...(form.errors.fields.logo ?? []),
  ];

  return (
    <form
      className="card"
      noValidate
      aria-labelledby="company-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate();
      }}
    >
      <h2 id="company-heading">{t('company.title')}</h2>
      <p className="muted">{t('company.intro')}</p>
      <FormErrorSummary form={form} />
      <dl className="totals">
        <dt>{t('company.ruc')}</dt>
        <dd>{profile.ruc}</dd>
        <dt>{t('company.dv')}</dt>
        <dd>{profile.dv}</dd>
      </dl>
      <div className="grid">
        {TEXT_FIELDS.map((name) => (
          <Field key={name} {...form.field(name)}>
            {(props) => (
              <input
                {...props}
                name={name}
                type={name === 'email' ? 'email' : 'text'}
                value={draft[name]}
                onChange={(event) => setDraft((previous) => ({ ...previous, [name]: event.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      <fieldset className="line">
        <legend>{t('company.logo')}</legend>
        <p className="muted">{t('company.logoRules')}</p>
        {profile.logo ? (
          <p>
            {t('company.logoCurrent', {
              type: profile.logo.contentType,
              width: profile.logo.width,
              height: profile.logo.height,
              date: dateTime(profile.logo.updatedAt),
            })}{' '}
            <a href={profile.logo.url} target="_blank" rel="noopener noreferrer">
              {t('company.logoOpen')}
            </a>
          </p>
        ) : (
          <p>{t('company.logoNone')}</p>
        )}
        <Field
          id={form.idOf('logo')}
          label={t('company.logoChoose')}
          errors={logoErrors.length > 0 ? logoErrors : undefined}
        >
          {(props) => (
            <input
              {...props}
              type="file"
              accept="image/png,image/jpeg"
              onChange={(event) => void chooseLogo(event.target.files?.[0])}
            />
          )}
        </Field>
        {logo.kind === 'replace' && (
          // A data: URL: the console's CSP allows images only from itself and data: (not blob:).
          <img
            className="logo-preview"
            src={`data:${logo.type};base64,${logo.base64}`}
            alt={t('company.logoPreview')}
          />
        )}
        {profile.logo && (
          <label className="check">
            <input
              type="checkbox"
              checked={logo.kind === 'remove'}
              onChange={(event) => setLogo(event.target.checked ? { kind: 'remove' } : { kind: 'keep' })}
            />
            {t('company.logoRemove')}
          </label>
        )}
        {logo.kind === 'remove' && <p>{t('company.logoWillRemove')}</p>}
      </fieldset>
      <p className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t('company.saving') : t('company.save')}
        </button>
      </p>
      <Saved text={save.isSuccess ? t('company.saved') : undefined} />
    </form>
  );
}
