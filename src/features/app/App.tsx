import { lazy, Suspense, useEffect } from 'react';
import { useConfigStore } from '../../store/config';
import { WorklistPage } from '../worklist/WorklistPage';
import { useLocation } from './router';

// The viewer (and Cornerstone with it) is a separate chunk: the worklist paints without it.
const ViewerPage = lazy(() => import('../viewer/ViewerPage'));

export function App() {
  const { status, error, load } = useConfigStore();
  const { pathname } = useLocation();

  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'loading') return <div className="center-message">Loading configuration…</div>;
  if (status === 'error') {
    return (
      <div className="center-message error" role="alert" data-testid="config-error">
        <h1>{error?.message ?? 'Configuration error'}</h1>
        <ul>
          {error?.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
        <p>Fix config.json beside index.html and reload. The README describes every field.</p>
      </div>
    );
  }
  if (pathname === '/viewer') {
    return (
      <Suspense fallback={<div className="center-message">Loading viewer…</div>}>
        <ViewerPage />
      </Suspense>
    );
  }
  return <WorklistPage />;
}
