import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { formatCount, formatDate, formatDateTime, formatMoney, type Language } from './format';
import { en, es, interpolate, type MessageKey } from './messages';

const LANGUAGE_KEY = 'factu.language';

type I18n = {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  money(amount: string): string;
  dateTime(iso: string): string;
  date(iso: string): string;
  count(value: number): string;
};

const I18nContext = createContext<I18n | undefined>(undefined);

/** Spanish (Panamá) unless the person chose English here before (a preference, not a secret: localStorage). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'es',
  );
  const value = useMemo<I18n>(() => {
    const messages = language === 'en' ? en : es;
    document.documentElement.lang = language === 'en' ? 'en' : 'es-PA';
    return {
      language,
      setLanguage(next) {
        localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
      t: (key, values) => interpolate(messages[key], values),
      money: formatMoney,
      dateTime: (iso) => formatDateTime(iso, language),
      date: (iso) => formatDate(iso, language),
      count: (value) => formatCount(value, language),
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
