import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import { Field } from '../../components/field';
import { FormErrorSummary, useFormErrors } from '../../components/form-error-summary';
import { ListTable } from '../../components/list-table';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { base64Of, certificateProblem, type FileProblem, type Validity, validityOf } from './company-files';
import { ManageOnly, Saved } from './company-form';

type Certificate = Awaited<ReturnType<typeof loadCertificates>>[number];

const VALIDITY: Record<Validity, { label: MessageKey; badge: string } | undefined> = {
  expired: { label: 'certificates.expired', badge: 'badge badge-failed' },
  'expiring-soon': { label: 'certificates.expiringSoon', badge: 'badge badge-contingency' },
  valid: { label: 'certificates.valid', badge: 'badge badge-authorized' },
  unknown: undefined,
};

async function loadCertificates() {
  return unwrap(await api.GET('/v1/certificates'));
}

/** Certificados: the signing certificates on file, a new one with its PIN, and their removal. */
export default function CertificatesPage() {
  return (
    <ManageOnly>
      <CertificatesSection />
    </ManageOnly>
  );
}

function CertificatesSection() {
  const { t, date, dateTime } = useI18n();
  const certificates = useQuery({ queryKey: ['certificates'], queryFn: loadCertificates });
  const [confirming, setConfirming] = useState<Certificate>();
  const now = new Date();
  return (
    <>
      <section className="card" aria-labelledby="certificates-heading">
        <h2 id="certificates-heading">{t('certificates.title')}</h2>
        <p className="muted">{t('certificates.intro')}</p>
        <ListTable
          pending={certificates.isPending}
          error={certificates.error}
          empty={certificates.data?.length === 0 ? t('common.none') : undefined}
          caption={t('certificates.list')}
          head={
            <tr>
              <th scope="col">{t('certificates.subject')}</th>
              <th scope="col">{t('certificates.fingerprint')}</th>
              <th scope="col">{t('certificates.validUntil')}</th>
              <th scope="col">{t('certificates.uploaded')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('certificates.delete')}</span>
              </th>
            </tr>
          }
        >
          {(certificates.data ?? []).map((certificate) => {
            const validity = VALIDITY[validityOf(certificate.notAfter, now)];
            return (
              <tr key={certificate.id}>
                <td>{certificate.subject ?? certificate.id}</td>
                <td>
                  <code className="cufe">{certificate.fingerprintSha256 ?? ''}</code>
                </td>
                <td>
                  {certificate.notAfter ? date(certificate.notAfter) : ''}{' '}
                  {validity && <span className={validity.badge}>{t(validity.label)}</span>}
                </td>
                <td>{dateTime(certificate.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    aria-label={t('certificates.deleteLabel', {
                      subject: certificate.subject ?? certificate.id,
                    })}
                    onClick={() => setConfirming(certificate)}
                  >
                    {t('certificates.delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </ListTable>

        {confirming && <ConfirmDelete certificate={confirming} onDone={() => setConfirming(undefined)} />}
      </section>
      <UploadCertificate />
    </>
  );
}

function ConfirmDelete({ certificate, onDone }: { certificate: Certificate; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/v1/certificates/{id}', { params: { path: { id: certificate.id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      onDone();
    },
  });
  const refusal = useFormErrors(remove.error, {});
  return (
    <div role="alertdialog" aria-labelledby="confirm-delete-text" className="alert">
      <p id="confirm-delete-text">
        {t('certificates.confirmDelete', { subject: certificate.subject ?? certificate.id })}
      </p>
      <FormErrorSummary form={refusal} />
      <p className="actions">
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
          {t('certificates.confirm')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('company.cancel')}
        </button>
      </p>
    </div>
  );
}

function UploadCertificate() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const [fileIssue, setFileIssue] = useState<FileProblem>();
  const [pin, setPin] = useState('');
  // A new input element after each upload: the chosen file (and the PIN) leave the page.
  const [formKey, setFormKey] = useState(0);
  const idempotencyKey = useIdempotencyKey();
  const upload = useMutation({
    mutationFn: async (chosen: File) =>
      unwrap(
        await api.POST('/v1/certificates', {
          params: { header: idempotencyKey.header() },
          body: { p12: await base64Of(chosen), pin },
        }),
      ),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: () => {
      idempotencyKey.answered();
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      setFile(undefined);
      setPin('');
      setFormKey((previous) => previous + 1);
    },
  });
  const form = useFormErrors(upload.error, { p12: t('certificates.file'), pin: t('certificates.pin') });
  const fileErrors = [
    ...(fileIssue?.problem === 'too-big' ? [t('certificates.tooBig', { size: fileIssue.kilobytes })] : []),
    ...(form.errors.fields.p12 ?? []),
  ];
  return (
    <form
      key={formKey}
      className="card"
      noValidate
      aria-labelledby="upload-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (file && !fileIssue && !upload.isPending) upload.mutate(file);
      }}
    >
      <h2 id="upload-heading">{t('certificates.upload')}</h2>
      <FormErrorSummary form={form} />
      <div className="grid">
        <Field
          id={form.idOf('p12')}
          label={t('certificates.file')}
          errors={fileErrors.length > 0 ? fileErrors : undefined}
        >
          {(props) => (
            <input
              {...props}
              type="file"
              accept=".p12,.pfx,application/x-pkcs12"
              onChange={(event) => {
                const chosen = event.target.files?.[0];
                setFile(chosen);
                setFileIssue(chosen ? certificateProblem(chosen) : undefined);
              }}
            />
          )}
        </Field>
        <Field {...form.field('pin')}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={pin}
              onChange={(event) => setPin(event.target.value)}
            />
          )}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" disabled={upload.isPending || !file || pin === ''}>
          {upload.isPending ? t('company.saving') : t('certificates.upload')}
        </button>
      </p>
      <Saved text={upload.isSuccess ? t('certificates.uploadedOk') : undefined} />
    </form>
  );
}
