import { useMemo, useState } from 'react';
import { shareLink, type SharedViewport } from '../../model/shareLink';
import { defaultDataSourceOf } from '../../config/schema';
import { useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { Modal } from '../common/Modal';
import { useViewStates } from '../../store/viewStates';

/**
 * A link to this view (layout, series, image and window of each viewport) for a colleague: study and series UIDs
 * and numbers only, no patient data. Read-only unless the sharer allows measuring.
 */
export function ShareDialog({ studyInstanceUIDs, onClose }: { studyInstanceUIDs: string[]; onClose: () => void }) {
  const config = useConfigStore((s) => s.config)!;
  const dataSource = useStudyStore((s) => s.dataSource);
  const { layout, slots, mpr } = useViewerStore();
  const states = useViewStates((s) => s.states);
  const [editable, setEditable] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed'>();

  const url = useMemo(() => {
    const viewports: (SharedViewport | undefined)[] = mpr
      ? [{ seriesInstanceUID: mpr.seriesInstanceUID, imageIndex: Math.max(0, mpr.fromIndex), window: mpr.window }]
      : slots.map((slot, i) => {
          const st = states[i];
          if (!slot.seriesInstanceUID) return undefined;
          const shown = st?.windowWidth !== undefined ? { center: st.windowCenter ?? 0, width: st.windowWidth } : undefined;
          return { seriesInstanceUID: slot.seriesInstanceUID, imageIndex: st?.imageIndex ?? slot.initialIndex ?? 0, window: shown };
        });
    const path = shareLink({
      studyInstanceUIDs,
      dataSource: dataSource && dataSource !== defaultDataSourceOf(config).name ? dataSource : undefined,
      layout: mpr ? (mpr.with3d ? 'mpr3d' : 'mpr') : `${layout.rows}x${layout.cols}`,
      viewports,
      readOnly: !editable,
    });
    return new URL(path, window.location.origin).toString();
  }, [mpr, slots, states, studyInstanceUIDs, dataSource, config, layout, editable]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <Modal title="Share this view" className="share" testId="share-dialog" onClose={onClose}>
      <p className="muted">
        The link opens these studies with this layout, series, images and windows. It holds study and series identifiers
        only, no patient data; whoever opens it still needs access to the PACS.
      </p>
      <input className="share-url" readOnly value={url} aria-label="Link" data-testid="share-url" onFocus={(e) => e.target.select()} />
      <label>
        <input type="checkbox" checked={editable} onChange={(e) => setEditable(e.target.checked)} data-testid="share-editable" /> Allow
        measuring (otherwise the link opens read-only, for referring doctors)
      </label>
      <div className="group">
        <button type="button" onClick={() => void copy()} data-testid="share-copy">
          Copy link
        </button>
        {copied === 'yes' && <span data-testid="share-copied">Copied.</span>}
        {copied === 'failed' && <span className="error-text">The browser did not allow copying: select the link and copy it.</span>}
      </div>
    </Modal>
  );
}
