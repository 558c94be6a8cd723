import { useEffect, useState } from 'react';
import { checkConnection, fetchProbe, type CheckStep } from '../../dicomweb/connectionCheck';
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

function StepList({ steps }: { steps: CheckStep[] }) {
  return (
    <ul className="check-steps">
      {steps.map((s) => (
        <li key={s.id} className={`check-${s.result}`} data-step={s.id} data-result={s.result}>
          <span className="check-mark" aria-label={s.result}>
            {MARK[s.result]}
          </span>
          <div>
            <strong>{s.label}</strong> <span className="muted">{s.detail}</span>
            {s.hint && <div className="check-hint">{s.hint}</div>}
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
  return (
    <Modal title={`Connection check — ${label}`} className="connection-check" testId="connection-check" onClose={onClose}>
      {!steps && <p className="check-running">Checking…</p>}
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
  return (
    <div className="auto-check" data-testid="auto-check" data-state={steps ? 'done' : 'running'}>
      {!steps && <span className="muted">Checking the connection…</span>}
      {problems && problems.length === 0 && <span className="muted">The connection check passes now; try the search again.</span>}
      {problems && problems.length > 0 && <StepList steps={problems} />}
      {steps && (
        <button type="button" className="link-button" onClick={onShowAll}>
          Show the whole check
        </button>
      )}
    </div>
  );
}
