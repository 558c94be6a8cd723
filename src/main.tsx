import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './features/app/App';
import { setLanguage } from './i18n/i18n';
import { resolveLanguage } from './i18n/languages';
import { loadPreferences } from './store/preferences';
import './styles.css';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

// The language's strings first (English is in this chunk; another is one small fetch), so nothing renders in English
// only to be replaced: the reader's choice or the browser's. config.json may still fix another (features/common/
// LanguageMenu.tsx `useLanguage`), which then replaces it once the configuration is read.
setLanguage(resolveLanguage({ chosen: loadPreferences().language, browser: navigator.languages })).then(render, render);
