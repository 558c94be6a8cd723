import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferencesStore, type PanelName } from '../../store/preferences';
import { commandById, keysOf } from './commands';
import { keyLabel } from './commandText';

interface Props {
  panel: PanelName;
  side: 'left' | 'right';
  children: ReactNode;
}

/**
 * A side panel that folds away to a thin strip, giving its width to the images; the reader's choice is kept as a
 * preference. Folded, the panel stays mounted (hidden), so thumbnails and lists are as they were when it opens.
 */
export function SidePanel({ panel, side, children }: Props) {
  const collapsed = usePreferencesStore((s) => s.collapsed[panel]);
  const setCollapsed = usePreferencesStore((s) => s.setCollapsed);
  const keys = keysOf(commandById(`panel.${panel}`), usePreferencesStore((s) => s.keyBindings));
  const { t } = useTranslation('viewer');
  // In a right-to-left language the panel is on the other side and its arrow points the other way: ‹ and › are
  // mirrored glyphs, which the browser draws reversed in right-to-left text by itself.
  const arrow = (side === 'left') === collapsed ? '›' : '‹';
  const label = t(collapsed ? `panel.show.${panel}` : `panel.hide.${panel}`);
  return (
    <div className={`side-panel ${side}${collapsed ? ' collapsed' : ''}`} data-testid={`panel-${panel}`} data-collapsed={collapsed}>
      <button
        type="button"
        className="panel-toggle"
        aria-expanded={!collapsed}
        aria-label={label}
        title={`${label}${keys.length ? ` (${keys.map((k) => keyLabel(k, t)).join(', ')})` : ''}`}
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
