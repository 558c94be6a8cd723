import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../common/useFormat';
import { ErrorText } from '../common/ErrorText';
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
  const { t } = useTranslation('viewer');
  const format = useFormat();
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
    <Modal title={t('share.title')} className="share" testId="share-dialog" onClose={onClose}>
      <p className="muted">{t('share.intro')}</p>
      <input className="share-url" dir="ltr" readOnly value={url} aria-label={t('share.link')} data-testid="share-url" onFocus={(e) => e.target.select()} />
      <label>
        <input type="checkbox" checked={editable} onChange={(e) => setEditable(e.target.checked)} data-testid="share-editable" /> {t('share.allowMeasuring')}
      </label>
      <div className="group">
        <button type="button" onClick={() => void copy()} data-testid="share-copy">
          {t('share.copy')}
        </button>
        {copied === 'yes' && <span data-testid="share-copied">{t('share.copied')}</span>}
        {copied === 'failed' && <span className="error-text">{t('share.copyFailed')}</span>}
      </div>
      {sharing && studyInstanceUIDs.length > 0 && (
        <section className="share-grant" data-testid="share-grant">
          <h3>{t('share.onePerson')}</h3>
          <p className="muted">
            {t('share.onePersonIntro')}
            {studyInstanceUIDs.length > 1 && t('share.onlyCurrent')}
          </p>
          <div className="group">
            <label>
              {t('share.recipient')}{' '}
              <input value={recipient} onChange={(e) => setRecipient(e.target.value)} data-testid="grant-recipient" autoComplete="off" />
            </label>
            <label>
              {t('share.validFor')}{' '}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="grant-days">
                <option value={1}>{t('share.days', { count: 1, n: format.number(1) })}</option>
                <option value={7}>{t('share.days', { count: 7, n: format.number(7) })}</option>
              </select>
            </label>
            <button type="button" disabled={!recipient.trim()} onClick={() => void grantLink()} data-testid="grant-create">
              {t('share.create')}
            </button>
          </div>
          {granted && (
            <>
              <input className="share-url" dir="ltr" readOnly value={granted.url} aria-label={t('share.linkOnePerson')} data-testid="grant-url" onFocus={(e) => e.target.select()} />
              <p className="muted" data-testid="grant-note">
                {t('share.grantBefore')}
                <bdi>{granted.recipient}</bdi>
                {t('share.grantAfter', { until: new Date(granted.expiresAt).toLocaleString(format.locale) })}
              </p>
            </>
          )}
          {grantError && (
            <p className="error-text" role="alert">
              <ErrorText message={grantError} />
            </p>
          )}
        </section>
      )}
    </Modal>
  );
}
