// The one translation layer (i18next + react-i18next). Strings live in src/i18n/locales/<language>/<namespace>.json,
// one namespace per area of the app (common, viewer, segments, documents, waveform, video…), so that each area's
// strings sit together and each language has the same keys (locales.test.ts checks it). English is bundled with the
// app's first chunk; other languages are fetched when chosen (a chunk per namespace file), so the first image costs
// nothing more in Arabic than in English beyond the one language chosen.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { browserLanguage, isRtl, LANGUAGES, type Language } from './languages';

export * from './languages';

const english = import.meta.glob<{ default: Record<string, unknown> }>('./locales/en/*.json', { eager: true });
const others = import.meta.glob<{ default: Record<string, unknown> }>(['./locales/*/*.json', '!./locales/en/*.json']);

const nsOf = (path: string) => path.replace(/^.*\/([^/]+)\.json$/, '$1');
/** Every namespace (from the English files). */
export const NAMESPACES: readonly string[] = Object.keys(english).map(nsOf).sort();

let started: Promise<unknown> | undefined;

/** Starts i18next once (idempotent), in `language`. Components use react-i18next's `useTranslation(namespace)`. */
export function startI18n(language: Language = browserLanguage()): Promise<unknown> {
  started ??= i18next
    .use(initReactI18next)
    .use({
      type: 'backend',
      read(lng: string, ns: string, callback: (err: unknown, data?: Record<string, unknown>) => void) {
        const load = others[`./locales/${lng}/${ns}.json`];
        if (!load) return callback(new Error(`no ${lng} translation for ${ns}`));
        load().then((m) => callback(null, m.default), (e: unknown) => callback(e));
      },
    })
    .init({
      lng: language,
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      ns: [...NAMESPACES],
      defaultNS: 'common',
      resources: { en: Object.fromEntries(Object.entries(english).map(([p, m]) => [nsOf(p), m.default])) },
      // English is given; the others come from the backend above.
      partialBundledLanguages: true,
      interpolation: { escapeValue: false }, // React escapes; DICOM text is never HTML
      returnNull: false,
    });
  return started;
}

/** Switches the app's language, and the document's `lang` and direction (Arabic is right to left). */
export async function setLanguage(language: Language): Promise<void> {
  await startI18n(language);
  await i18next.changeLanguage(language);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language;
    document.documentElement.dir = isRtl(language) ? 'rtl' : 'ltr';
  }
}

export { i18next };
