// Which languages the app has and which one a page uses: no i18next here, so config.json's schema and the
// preferences store can name languages without pulling the translation layer in.

/** The languages the app has complete translations for, English first (the fallback). */
export const LANGUAGES = ['en', 'ar', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, as the language menu offers it (readers look for their own language's name). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية', fr: 'Français' };

/** Digit shapes: Western (0–9) or Arabic-Indic (٠–٩), as a site chooses (config.json `numerals`). */
export const NUMERALS = ['latn', 'arab'] as const;
export type Numerals = (typeof NUMERALS)[number];

export const isLanguage = (x: string): x is Language => (LANGUAGES as readonly string[]).includes(x);

/** The first of `preferred` (BCP 47 tags, as navigator.languages) among `offered`, by primary subtag (ar-EG → ar). */
function firstOf(preferred: readonly string[], offered: readonly Language[]): Language | undefined {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0]!;
    if (isLanguage(primary) && offered.includes(primary)) return primary;
  }
  return undefined;
}

/** The first of the browser's languages the app has, by primary subtag (ar-EG → ar); else English. */
export function browserLanguage(preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): Language {
  return firstOf(preferred, LANGUAGES) ?? 'en';
}

export interface LanguageChoice {
  /** config.json `language`: the one language of this deployment. */
  forced?: Language;
  /** config.json `languages`: the ones offered (all when absent). */
  offered?: readonly Language[];
  /** The reader's choice in the language menu (store/preferences.ts). */
  chosen?: Language;
  /** The browser's languages, most preferred first. */
  browser: readonly string[];
}

/**
 * The language a page uses: the site's forced one; else the reader's choice, when still offered; else the first of
 * the browser's languages that is offered; else the first offered (English when offered).
 */
export function resolveLanguage({ forced, offered, chosen, browser }: LanguageChoice): Language {
  if (forced) return forced;
  const list = offered?.length ? offered : LANGUAGES;
  if (chosen && list.includes(chosen)) return chosen;
  return firstOf(browser, list) ?? (list.includes('en') ? 'en' : list[0]!);
}

/** The languages the menu lists: the forced one alone, else the offered ones (all when absent), in LANGUAGES order. */
export function languagesOffered(forced: Language | undefined, offered: readonly Language[] | undefined): Language[] {
  if (forced) return [forced];
  return LANGUAGES.filter((l) => !offered?.length || offered.includes(l));
}

/**
 * The BCP 47 locale Intl formats with: the language, the Gregorian calendar (Arabic locales may default to
 * others) and the site's digit shapes.
 */
export function localeOf(language: Language, numerals: Numerals = 'latn'): string {
  return `${language}-u-ca-gregory-nu-${numerals}`;
}

/** Right-to-left scripts among the app's languages (document `dir`); i18next says the same, without being loaded. */
export const isRtl = (language: Language): boolean => language === 'ar';
