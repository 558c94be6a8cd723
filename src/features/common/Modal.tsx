import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
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

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** The controls Tab can reach in `root`, in order (hidden ones left out). */
function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

/**
 * A modal dialog over the app: closes on Escape, on the ✕ button and on a click outside it. It takes the keyboard
 * focus when it opens (its first control, unless one of its own took it already), keeps Tab and Shift+Tab inside it,
 * and gives the focus back to where it was (the button that opened it) when it closes.
 */
export function Modal({ title, onClose, className = '', testId, headerExtra, children }: Props) {
  const { t } = useTranslation('common');
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // Read while rendering, before a control of the dialog (autoFocus) takes the focus.
  const [opener] = useState(() => (typeof document !== 'undefined' ? (document.activeElement as HTMLElement | null) : null));

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    const root = dialog.current;
    if (root && !root.contains(document.activeElement)) (focusables(root).find((el) => !el.closest('.modal-head')) ?? focusables(root)[0] ?? root).focus();
    // Focus that leaves the dialog (a click on the page behind, a script) comes back to it.
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as Node | null;
      if (root && target && !root.contains(target) && !(target as Element).closest?.('[role="dialog"]')) root.focus();
    };
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !dialog.current) return;
    const els = focusables(dialog.current);
    if (els.length === 0) {
      e.preventDefault();
      return;
    }
    const first = els[0]!;
    const last = els[els.length - 1]!;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        ref={dialog}
        className={`modal ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        {/* Not a <header>: inside a dialog it would be a second banner landmark of the page. */}
        <div className="modal-head">
          <h2 id={titleId}>{title}</h2>
          {headerExtra}
          <button type="button" onClick={onClose} aria-label={t('close')} title={t('close')}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
