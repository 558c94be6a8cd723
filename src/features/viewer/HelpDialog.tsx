import { Modal } from '../common/Modal';
import { useViewerStore } from '../../store/viewer';
import { usePreferencesStore } from '../../store/preferences';
import { COMMAND_GROUPS, COMMANDS, keyName, keysOf, presetNow, type Command } from './commands';
import { windowText } from './PresetPicker';

/** A preset key's line says what it gives on the image shown (the site's, the default, or the reader's). */
function labelOf(c: Command): string {
  const n = /^preset\.(\d)$/.exec(c.id);
  if (!n) return c.label;
  const p = presetNow(Number(n[1]));
  return p ? `W/L ${p.label} (${windowText(p)})` : `${c.label}: not set (Settings)`;
}

/** Every command with its keys, by task, read from the same list (and the reader's keys) the hotkeys use. */
export function HelpDialog({ onClose, onSettings }: { onClose: () => void; onSettings: () => void }) {
  const readOnly = useViewerStore((s) => s.readOnly);
  const bindings = usePreferencesStore((s) => s.keyBindings);
  usePreferencesStore((s) => s.readerPresets);
  const usable = COMMANDS.filter((c) => !readOnly || !c.edits);
  return (
    <Modal
      title="Keyboard shortcuts"
      className="help"
      testId="help-dialog"
      onClose={onClose}
      headerExtra={
        <button type="button" onClick={onSettings} data-testid="help-change-keys">
          Change keys…
        </button>
      }
    >
      <div className="help-groups">
        {COMMAND_GROUPS.map((group) => {
          const commands = usable.filter((c) => c.group === group);
          if (commands.length === 0) return null;
          return (
            <section key={group} className="help-group" data-group={group}>
              <h3>{group}</h3>
              <dl>
                {commands.map((c) => (
                  <div key={c.id} className="help-row" data-command={c.id}>
                    <dt>
                      <kbd>{keysOf(c, bindings).map(keyName).join(' / ') || '—'}</kbd>
                    </dt>
                    <dd>{labelOf(c)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
        <section className="help-group" data-group="Mouse">
          <h3>Mouse</h3>
          <dl>
            <div className="help-row">
              <dt>
                <kbd>Left drag</kbd>
              </dt>
              <dd>The selected tool</dd>
            </div>
            <div className="help-row">
              <dt>
                <kbd>Wheel</kbd> · <kbd>Middle</kbd> · <kbd>Right</kbd>
              </dt>
              <dd>Scroll images · Pan · Zoom</dd>
            </div>
            <div className="help-row">
              <dt>
                <kbd>Double-click</kbd>
              </dt>
              <dd>Viewport alone (1×1) and back, while W/L, pan, zoom or scroll is the tool (measuring tools keep double-clicks)</dd>
            </div>
          </dl>
        </section>
      </div>
    </Modal>
  );
}
