import { useMemo, useState } from 'react';
import { shareLink, type SharedViewport } from '../../model/shareLink';
import { defaultDataSourceOf } from '../../config/schema';
import { useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { Modal } from '../common/Modal';
import { useViewStates } from '../../store/viewStates';
import { createGrant } from '../../auth/gateway';
import { accessToken, useAuthStore } from '../../store/auth';

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
  // With sign-in and a gateway that issues grants: a link that opens this study for one named person.
  const sharing = useAuthStore((s) => s.gateway?.sharing ?? false);
  const [recipient, setRecipient] = useState('');
  const [days, setDays] = useState(7);
  const [granted, setGranted] = useState<{ url: string; expiresAt: string; recipient: string }>();
  const [grantError, setGrantError] = useState<string>();

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

  const grantLink = async () => {
    setGrantError(undefined);
    setGranted(undefined);
    try {
      const g = await createGrant(accessToken(), studyInstanceUIDs[0]!, recipient.trim(), days * 86_400);
      // In the fragment: a browser never sends it to a server, so it stays out of every access log.
      setGranted({ url: `${url}#grant=${g.grant}`, expiresAt: g.expiresAt, recipient: recipient.trim() });
    } catch (e) {
      setGrantError(e instanceof Error ? e.message : String(e));
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
      {sharing && studyInstanceUIDs.length > 0 && (
        <section className="share-grant" data-testid="share-grant">
          <h3>For one person</h3>
          <p className="muted">
            A link that opens this study (and no other) for the person named, once they have signed in, until it expires.
            {studyInstanceUIDs.length > 1 && ' Only the current study: the prior beside it is not included.'}
          </p>
          <div className="group">
            <label>
              E-mail or user id{' '}
              <input value={recipient} onChange={(e) => setRecipient(e.target.value)} data-testid="grant-recipient" autoComplete="off" />
            </label>
            <label>
              valid for{' '}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="grant-days">
                <option value={1}>1 day</option>
                <option value={7}>7 days</option>
              </select>
            </label>
            <button type="button" disabled={!recipient.trim()} onClick={() => void grantLink()} data-testid="grant-create">
              Create link
            </button>
          </div>
          {granted && (
            <>
              <input className="share-url" readOnly value={granted.url} aria-label="Link for one person" data-testid="grant-url" onFocus={(e) => e.target.select()} />
              <p className="muted" data-testid="grant-note">
                For <bdi>{granted.recipient}</bdi> until {new Date(granted.expiresAt).toLocaleString()}. Anyone else who opens it is refused.
              </p>
            </>
          )}
          {grantError && (
            <p className="error-text" role="alert">
              {grantError}
            </p>
          )}
        </section>
      )}
    </Modal>
  );
}
