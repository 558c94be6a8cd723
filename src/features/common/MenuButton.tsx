import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ChevronDown, type LucideIcon } from 'lucide-react';

export interface MenuItem {
  key: string;
  /** The item's text in the menu (its accessible name). */
  label: string;
  icon?: LucideIcon;
  /** A longer explanation, as a tooltip. */
  title?: string;
  /** 'checkbox' and 'radio' items show and announce `checked`. */
  kind?: 'item' | 'checkbox' | 'radio';
  checked?: boolean;
  disabled?: boolean;
  /** The command it runs (data-command, as toolbar buttons carry it). */
  command?: string;
  testId?: string;
  onSelect: () => void;
}

interface Props {
  /** The button's accessible name and tooltip. */
  label: string;
  icon: LucideIcon;
  items: MenuItem[];
  testId?: string;
  /** Shown beside the icon (short: a value, not a word to translate). */
  text?: ReactNode;
  /** One of its items is the tool in use: the button is marked. */
  active?: boolean;
}

/**
 * A toolbar button that opens a menu (the ARIA menu button pattern): Enter, Space or ↓ opens it on its first item,
 * ↑ on its last; ↑ ↓ Home End move, Escape closes it back on the button, Tab and a click elsewhere close it. The
 * items stay in the page while it is closed (hidden), so their state can be read like the toolbar buttons'.
 */
export function MenuButton({ label, icon: Icon, items, testId, text, active }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();
  /** Which item to focus once the menu is open: the first or the last. */
  const [focusAt, setFocusAt] = useState<'first' | 'last'>('first');

  const itemsEls = () => Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)') ?? []);

  useEffect(() => {
    if (!open) return;
    const els = itemsEls();
    (focusAt === 'first' ? els[0] : els[els.length - 1])?.focus();
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [open, focusAt]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      // The viewer's arrow keys step images and viewports: not while a menu button has the keyboard.
      e.preventDefault();
      e.stopPropagation();
      setFocusAt(e.key === 'ArrowDown' ? 'first' : 'last');
      setOpen(true);
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const els = itemsEls();
    const at = els.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = (at + 1) % els.length;
    else if (e.key === 'ArrowUp') next = (at - 1 + els.length) % els.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = els.length - 1;
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') setOpen(false);
    else if (e.key.length === 1 && e.key !== ' ') {
      // A letter moves to the next item starting with it.
      const k = e.key.toLowerCase();
      const from = els.slice(at + 1).concat(els.slice(0, at + 1));
      const hit = from.find((el) => el.textContent?.trim().toLowerCase().startsWith(k));
      if (hit) next = els.indexOf(hit);
    }
    if (e.key !== 'Tab') {
      // Keys in a menu are the menu's, not the viewer's hotkeys.
      e.stopPropagation();
      if (e.key !== 'Enter' && e.key !== ' ') e.preventDefault();
    }
    if (next !== undefined) els[next]?.focus();
  };

  return (
    <div className={`menu-root${active ? ' active' : ''}`} ref={root}>
      <button
        ref={button}
        type="button"
        className="icon-button menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        title={label}
        data-testid={testId}
        data-active={active || undefined}
        onClick={() => {
          setFocusAt('first');
          setOpen(!open);
        }}
        onKeyDown={onButtonKey}
      >
        <Icon aria-hidden="true" size={18} />
        {text}
        <ChevronDown className="menu-caret" aria-hidden="true" size={12} />
      </button>
      <div className="menu" role="menu" id={id} aria-label={label} ref={menu} hidden={!open} onKeyDown={onMenuKey}>
        {items.map((item) => {
          const kind = item.kind ?? 'item';
          const ItemIcon = item.icon;
          return (
            <button
              key={item.key}
              type="button"
              role={kind === 'item' ? 'menuitem' : `menuitem${kind}`}
              aria-checked={kind === 'item' ? undefined : !!item.checked}
              tabIndex={-1}
              title={item.title}
              disabled={item.disabled}
              data-command={item.command}
              data-testid={item.testId}
              onClick={() => {
                item.onSelect();
                close(true);
              }}
            >
              <span className="menu-check" aria-hidden="true">
                {kind !== 'item' && item.checked ? '✓' : ''}
              </span>
              {ItemIcon && <ItemIcon aria-hidden="true" size={16} />}
              <span>{item.label}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
