import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { type CataloguePrefix, catalogueKey } from './catalogue-keys';

/** A catalogue's search box: the list follows what was submitted, not each keystroke; blank means everything. */
export function CatalogueSearch({
  prefix,
  onSearch,
}: {
  prefix: CataloguePrefix;
  onSearch: (q: string | undefined) => void;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  return (
    <form
      className="filters"
      aria-label={t(catalogueKey(prefix, 'filters'))}
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(typed.trim() === '' ? undefined : typed.trim());
      }}
    >
      <label>
        {t(catalogueKey(prefix, 'search'))}
        <input
          type="search"
          value={typed}
          maxLength={80}
          onChange={(event) => setTyped(event.target.value)}
        />
      </label>
      <button type="submit">{t(catalogueKey(prefix, 'apply'))}</button>
    </form>
  );
}
