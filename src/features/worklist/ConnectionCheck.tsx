import { useEffect, useState } from 'react';
import { checkConnection, fetchProbe, type CheckStep } from '../../dicomweb/connectionCheck';
import { clientFor } from '../../store/config';
import { Modal } from '../common/Modal';

const MARK: Record<CheckStep['result'], string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

/** Runs the connection check for a data source and shows each step with its result and a hint. */
export function ConnectionCheck({ dataSource, onClose }: { dataSource: string; onClose: () => void }) {
  const [steps, setSteps] = useState<CheckStep[]>();
  useEffect(() => {
    const client = clientFor(dataSource);
    if (!client) return;
    let live = true;
    void checkConnection(client, fetchProbe(client.source.requestHeaders)).then((s) => live && setSteps(s));
    return () => {
      live = false;
    };
  }, [dataSource]);
  const label = clientFor(dataSource)?.source.label ?? dataSource;
  return (
    <Modal title={`Connection check — ${label}`} className="connection-check" testId="connection-check" onClose={onClose}>
      {!steps && <p className="check-running">Checking…</p>}
      {steps && (
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
      )}
    </Modal>
  );
}
