import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../../i18n/i18n';
import { isLanguage, LANGUAGE_NAMES, languagesOffered, resolveLanguage, type Language } from '../../i18n/languages';
import { useConfigStore } from '../../store/config';
import { usePreferencesStore } from '../../store/preferences';

/**
 * Applies the language config.json and the reader's choice call for, once the configuration is read and again when
 * the reader chooses another (here or in another tab): the site's `language`, else the reader's choice, else the
 * browser's, among `languages`. Switching re-renders in place: nothing reloads, no study is closed.
 */
export function useLanguage(): void {
  const config = useConfigStore((s) => s.config);
  const chosen = usePreferencesStore((s) => s.language);
  useEffect(() => {
    if (!config) return;
    const language = resolveLanguage({ forced: config.language, offered: config.languages, chosen, browser: navigator.languages });
    void setLanguage(language);
  }, [config, chosen]);
}

/** The language menu (study list and viewer headers): each language in its own name; absent with only one. */
export function LanguageMenu() {
  const { t, i18n } = useTranslation('common');
  const config = useConfigStore((s) => s.config);
  const offered = languagesOffered(config?.language, config?.languages);
  if (offered.length < 2) return null;
  const current = isLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <select
      className="language-menu"
      aria-label={t('language')}
      title={t('language')}
      data-testid="language-menu"
      value={current}
      onChange={(e) => usePreferencesStore.getState().setLanguage(e.target.value as Language)}
    >
      {offered.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
