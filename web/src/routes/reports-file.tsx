import { useMutation } from '@tanstack/react-query';
import { failureSentence } from '../components/form-errors';
import { useI18n } from '../i18n/i18n';

type ReportFile = { url: string; fileName: string };

/**
 * CSV and Excel downloads of a report: the API answers a short-lived presigned URL for the file, asked for at
 * the click and opened at once.
 */
export function ReportDownloads({ fetchFile }: { fetchFile(format: 'csv' | 'xlsx'): Promise<ReportFile> }) {
  const { t, language } = useI18n();
  const download = useMutation({
    mutationFn: fetchFile,
    onSuccess: (file) => window.open(file.url, '_blank', 'noopener'),
  });
  return (
    <p className="actions">
      <button
        type="button"
        className="secondary"
        disabled={download.isPending}
        onClick={() => download.mutate('csv')}
      >
        {t('reports.csv')}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={download.isPending}
        onClick={() => download.mutate('xlsx')}
      >
        {t('reports.xlsx')}
      </button>
      {download.isError && <span role="alert">{failureSentence(download.error, language)}</span>}
    </p>
  );
}

/** A report answer is the report itself (JSON) or a file to download: this tells which. */
export function isFile(data: object): data is ReportFile {
  return 'url' in data && 'fileName' in data;
}
