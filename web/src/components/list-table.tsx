import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { failureSentence } from './form-errors';

type Paging = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage(): unknown };

/**
 * A list read from the API, as every list of the console shows it: loading, the failure in words, the empty
 * text, or the table in a sideways-scrolling frame (with its caption, hidden unless `captionShown`), and a
 * "more" button while the API has further pages.
 */
export function ListTable({
  pending,
  error,
  empty,
  caption,
  captionShown = false,
  region,
  head,
  more,
  children,
}: {
  pending: boolean;
  error: Error | null;
  /** Shown instead of the table when there is nothing to list (omitted: an empty table is shown). */
  empty?: string | undefined;
  caption: string;
  captionShown?: boolean;
  /** The scrolling frame as a named, keyboard-reachable region. */
  region?: string;
  head: ReactNode;
  more?: { paging: Paging; label: string; inActions?: boolean };
  children: ReactNode;
}) {
  const { t, language } = useI18n();
  if (pending) return <p>{t('common.loading')}</p>;
  if (error) return <p role="alert">{failureSentence(error, language)}</p>;
  if (empty !== undefined) return <p>{empty}</p>;
  const table = (
    <table className="list">
      <caption className={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
      <thead>{head}</thead>
      <tbody>{children}</tbody>
    </table>
  );
  return (
    <>
      {region === undefined ? (
        <div className="scroll-x">{table}</div>
      ) : (
        // Focusable so a keyboard can scroll the table sideways on a phone.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="scroll-x" aria-label={region} tabIndex={0}>
          {table}
        </section>
      )}
      {more?.paging.hasNextPage && (
        <MoreButton paging={more.paging} label={more.label} inActions={more.inActions} />
      )}
    </>
  );
}

function MoreButton({
  paging,
  label,
  inActions,
}: {
  paging: Paging;
  label: string;
  inActions?: boolean | undefined;
}) {
  const button = (
    <button
      type="button"
      className="secondary"
      disabled={paging.isFetchingNextPage}
      onClick={() => void paging.fetchNextPage()}
    >
      {label}
    </button>
  );
  return inActions ? <p className="actions">{button}</p> : button;
}
