import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CHECK_ENGLISH, checkConnection, fetchProbe, type CheckMessage, type CheckStep } from '../../dicomweb/connectionCheck';
import { clientFor } from '../../store/config';
import { Modal } from '../common/Modal';

const MARK: Record<CheckStep['result'], string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

/** Runs the connection check for a data source (again when it changes); undefined while it runs. */
function useConnectionCheck(dataSource: string): CheckStep[] | undefined {
  const [result, setResult] = useState<{ dataSource: string; steps: CheckStep[] }>();
  useEffect(() => {
    const client = clientFor(dataSource);
    if (!client) return;
    let live = true;
    void checkConnection(client, fetchProbe(client.headers())).then((steps) => live && setResult({ dataSource, steps }));
    return () => {
      live = false;
    };
  }, [dataSource]);
  return result?.dataSource === dataSource ? result.steps : undefined;
}

/** Words the check puts into its messages ("not named", "yes"): said in the reader's language too. */
const WORDS = new Map(['detail.notNamed', 'detail.yes'].map((k) => [CHECK_ENGLISH[k], k]));

function say(t: TFunction, m: CheckMessage): string {
  const params = Object.fromEntries(Object.entries(m.params ?? {}).map(([k, v]) => [k, typeof v === 'string' && WORDS.has(v) ? t(`check.${WORDS.get(v)}`) : v]));
  return t(`check.${m.key}`, params);
}

function StepList({ steps }: { steps: CheckStep[] }) {
  const { t } = useTranslation('worklist');
  return (
    <ul className="check-steps">
      {steps.map((s) => (
        <li key={s.id} className={`check-${s.result}`} data-step={s.id} data-result={s.result}>
          <span className="check-mark" aria-label={t(`check.result.${s.result}`)}>
            {MARK[s.result]}
          </span>
          <div>
            <strong>{t(`check.label.${s.id}`)}</strong> <span className="muted">{say(t, s.say.detail)}</span>
            {s.say.hint && <div className="check-hint">{say(t, s.say.hint)}</div>}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Runs the connection check for a data source and shows each step with its result and a hint. */
export function ConnectionCheck({ dataSource, onClose }: { dataSource: string; onClose: () => void }) {
  const steps = useConnectionCheck(dataSource);
  const label = clientFor(dataSource)?.source.label ?? dataSource;
  const { t } = useTranslation('worklist');
  return (
    <Modal title={t('check.title', { source: label })} className="connection-check" testId="connection-check" onClose={onClose}>
      {!steps && <p className="check-running">{t('check.running')}</p>}
      {steps && <StepList steps={steps} />}
    </Modal>
  );
}

/**
 * The check, run by itself when the study list fails (the error banner mounts it anew for each failure): the
 * steps that did not pass, with their hints, so the reader learns what is wrong without asking.
 */
export function AutoConnectionCheck({ dataSource, onShowAll }: { dataSource: string; onShowAll: () => void }) {
  const steps = useConnectionCheck(dataSource);
  const problems = steps?.filter((s) => s.result === 'fail' || s.result === 'warn');
  const { t } = useTranslation('worklist');
  return (
    <div className="auto-check" data-testid="auto-check" data-state={steps ? 'done' : 'running'}>
      {!steps && <span className="muted">{t('check.auto')}</span>}
      {problems && problems.length === 0 && <span className="muted">{t('check.passesNow')}</span>}
      {problems && problems.length > 0 && <StepList steps={problems} />}
      {steps && (
        <button type="button" className="link-button" onClick={onShowAll}>
          {t('check.showAll')}
        </button>
      )}
    </div>
  );
}
