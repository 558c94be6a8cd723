import type { ReactNode } from 'react';
import { usePreferencesStore, type PanelName } from '../../store/preferences';
import { commandById, keyName, keysOf } from './commands';

interface Props {
  panel: PanelName;
  side: 'left' | 'right';
  /** What the panel holds, for the toggle's label ("Hide the series panel"). */
  title: string;
  children: ReactNode;
}

/**
 * A side panel that folds away to a thin strip, giving its width to the images; the reader's choice is kept as a
 * preference. Folded, the panel stays mounted (hidden), so thumbnails and lists are as they were when it opens.
 */
export function SidePanel({ panel, side, title, children }: Props) {
  const collapsed = usePreferencesStore((s) => s.collapsed[panel]);
  const setCollapsed = usePreferencesStore((s) => s.setCollapsed);
  const keys = keysOf(commandById(`panel.${panel}`), usePreferencesStore((s) => s.keyBindings));
  const arrow = (side === 'left') === collapsed ? '›' : '‹';
  return (
    <div className={`side-panel ${side}${collapsed ? ' collapsed' : ''}`} data-testid={`panel-${panel}`} data-collapsed={collapsed}>
      <button
        type="button"
        className="panel-toggle"
        aria-expanded={!collapsed}
        aria-label={`${collapsed ? 'Show' : 'Hide'} the ${title} panel`}
        title={`${collapsed ? 'Show' : 'Hide'} the ${title} panel${keys.length ? ` (${keys.map(keyName).join(', ')})` : ''}`}
        data-testid={`toggle-${panel}`}
        onClick={() => setCollapsed(panel, !collapsed)}
      >
        {arrow}
      </button>
      <div className="side-panel-body" hidden={collapsed}>
        {children}
      </div>
    </div>
  );
}
