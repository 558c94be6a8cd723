import { Component, Suspense, type ReactNode } from 'react';
import { Translation } from 'react-i18next';
import { Modal } from './Modal';

interface Props {
  /** What is shown, for the message: "the MPR view". */
  what: string;
  /** Shown while its code loads. */
  loading?: ReactNode;
  /** A dialog: its failure is a dialog too, closed like the one it stands for. */
  onClose?: () => void;
  children: ReactNode;
}

/**
 * A part of the app whose code is a chunk of its own (React.lazy). When the chunk cannot be loaded (the connection
 * dropped, or the app was redeployed and the old chunk is gone) or the part fails to render, it says so in its own
 * place and the rest of the app keeps working.
 */
export class Deferred extends Component<Props, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  render() {
    const { what, loading, onClose, children } = this.props;
    const { error } = this.state;
    if (!error) return <Suspense fallback={loading ?? null}>{children}</Suspense>;
    return (
      <Translation ns="common">
        {(t) => {
          const shown = t('couldNotShow', { what, error: error.message });
          const body = (
            <div className="deferred-error" role="alert" data-testid="deferred-error">
              <p>{shown[0]!.toUpperCase() + shown.slice(1)}</p>
              <p>{t('checkConnection')}</p>
              <button type="button" onClick={() => window.location.reload()}>
                {t('reload')}
              </button>
            </div>
          );
          return onClose ? (
            <Modal title={t('notAvailable')} onClose={onClose}>
              {body}
            </Modal>
          ) : (
            body
          );
        }}
      </Translation>
    );
  }
}
