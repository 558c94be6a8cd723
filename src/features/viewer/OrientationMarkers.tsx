import type { EdgeLabels } from '../../model/geometry';

/** The patient directions at a view's four edges (A/P/R/L/H/F), for stacks and MPR planes alike. */
export function OrientationMarkers({ labels }: { labels: EdgeLabels | undefined }) {
  if (!labels) return null;
  return (
    <>
      <div className="orientation top" data-testid="orient-top">{labels.top}</div>
      <div className="orientation bottom" data-testid="orient-bottom">{labels.bottom}</div>
      <div className="orientation left" data-testid="orient-left">{labels.left}</div>
      <div className="orientation right" data-testid="orient-right">{labels.right}</div>
    </>
  );
}
