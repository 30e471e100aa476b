import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { failureSentence } from './form-errors';

/** How long typing must pause before the catalogue is asked (one request per pause, not per key). */
const TYPING_PAUSE_MS = 250;

/**
 * Search as you type in the catalogue (customers or products) and pick one result: a search box and, under
 * it, the matches as buttons, announced politely as their count changes.
 */
export function CataloguePicker<T extends { id: string }>({
  label,
  catalogue,
  search,
  describe,
  onPick,
  texts,
}: {
  label: string;
  /** The query-cache name of the catalogue (`customers`, `products`): a saved change refreshes the picker. */
  catalogue: string;
  search: (text: string) => Promise<T[]>;
  describe: (item: T) => string;
  onPick: (item: T) => void;
  texts: { results: string; none: string; searching: string; pick: (item: string) => string };
}) {
  const { language } = useI18n();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setTerm(typed.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const matches = useQuery({
    queryKey: [catalogue, 'pick', term],
    queryFn: () => search(term),
    enabled: term !== '',
  });
  const found = term === '' ? [] : (matches.data ?? []);
  return (
    <div className="picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        maxLength={80}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
      />
      <p className="muted" aria-live="polite">
        {term === ''
          ? ''
          : matches.isFetching
            ? texts.searching
            : matches.isError
              ? failureSentence(matches.error, language)
              : found.length === 0
                ? texts.none
                : texts.results}
      </p>
      {found.length > 0 && (
        <ul className="picker-results">
          {found.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className="secondary"
                aria-label={texts.pick(describe(item))}
                onClick={() => {
                  onPick(item);
                  setTyped('');
                  setTerm('');
                }}
              >
                {describe(item)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
