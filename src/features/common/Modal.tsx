import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  onClose: () => void;
  className?: string;
  testId?: string;
  /** Controls shown in the header between the title and the close button (e.g. a filter). */
  headerExtra?: ReactNode;
  children: ReactNode;
}

/** A dialog over the app: closes on Escape, on the ✕ button and on a click outside it. */
export function Modal({ title, onClose, className = '', testId, headerExtra, children }: Props) {
  const { t } = useTranslation('common');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className={`modal ${className}`} role="dialog" aria-label={title} data-testid={testId} onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>{title}</h2>
          {headerExtra}
          <button type="button" onClick={onClose} aria-label={t('close')}>
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
