import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * A secret the API answers once (an API key, a webhook's signing secret): shown with a copy button and the
 * warning that it will not be shown again. It lives only in the state of the screen that received it — never
 * in the query cache or storage — so leaving the screen or pressing "done" forgets it for good.
 */
export function SecretOnce({ title, secret, onDone }: { title: string; secret: string; onDone(): void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <section className="card secret-once" aria-labelledby="secret-once-title">
      <h2 id="secret-once-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p className="alert">{t('secret.warning')}</p>
      <p>
        <span className="visually-hidden">{t('secret.label')}: </span>
        <code className="secret" data-testid="secret-once">
          {secret}
        </code>
      </p>
      <p className="actions">
        <button type="button" onClick={() => void copy()}>
          {copied ? t('secret.copied') : t('secret.copy')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('secret.done')}
        </button>
      </p>
    </section>
  );
}
