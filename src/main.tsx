import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './features/app/App';
import { browserLanguage, setLanguage } from './i18n/i18n';
import './styles.css';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

// The language's strings first (English is in this chunk; another is one small fetch), so nothing renders in English
// only to be replaced.
setLanguage(browserLanguage()).then(render, render);
