import { useState, type KeyboardEvent } from 'react';
import { Modal } from '../common/Modal';
import { SITE_PRESET_SLOTS } from '../../model/windowPresets';
import { usePreferencesStore } from '../../store/preferences';
import { useViewerStore } from '../../store/viewer';
import { bindKey, COMMAND_GROUPS, COMMANDS, keyName, keyOfEvent, keysOf } from './commands';
import { windowText } from './PresetPicker';

/**
 * The reader's settings, kept in this browser: the key of each command (press Change, then the new key; a key
 * another command has is refused, naming it) and the reader's own W/L presets (keys 6–9).
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const readOnly = useViewerStore((s) => s.readOnly);
  const { keyBindings, setKeyBindings, resetKeyBindings, readerPresets, setReaderPreset } = usePreferencesStore();
  const [capturing, setCapturing] = useState<string>();
  const [message, setMessage] = useState<{ text: string; error: boolean }>();

  const onCapture = (id: string, e: KeyboardEvent) => {
    // The dialog takes the key: it must neither run a command nor close the dialog (Escape only cancels).
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape') {
      setCapturing(undefined);
      setMessage(undefined);
      return;
    }
    const key = keyOfEvent(e.nativeEvent);
    if (key === undefined) {
      if (e.altKey) setMessage({ text: 'Alt combinations are left to the browser: choose another key.', error: true });
      return; // a modifier alone: wait for the key it modifies
    }
    const result = bindKey(keyBindings, id, key);
    if (!result.ok) {
      setMessage({ text: result.message, error: true });
      return;
    }
    setKeyBindings(result.bindings);
    setCapturing(undefined);
    setMessage({ text: `${keyName(key)} now runs “${COMMANDS.find((c) => c.id === id)!.label}”.`, error: false });
  };

  return (
    <Modal title="Settings" className="settings" testId="settings-dialog" onClose={onClose}>
      <p className="muted">Kept in this browser only (keys and preset names you chose; nothing about patients).</p>
      <div className={`settings-message${message?.error ? ' error-text' : ''}`} role={message?.error ? 'alert' : 'status'} data-testid="settings-message">
        {message?.text ?? ''}
      </div>
      <section>
        <header className="settings-header">
          <h3>Keys</h3>
          <button
            type="button"
            data-testid="reset-keys"
            onClick={() => {
              resetKeyBindings();
              setCapturing(undefined);
              setMessage({ text: 'Every key is back to its default.', error: false });
            }}
          >
            Reset keys to defaults
          </button>
        </header>
        <div className="settings-keys">
          {COMMAND_GROUPS.map((group) => (
            <div key={group} className="settings-group">
              <h4>{group}</h4>
              {COMMANDS.filter((c) => c.group === group && (!readOnly || !c.edits)).map((c) => (
                <div key={c.id} className="settings-row" data-command={c.id}>
                  <span className="settings-label">{c.label}</span>
                  <kbd data-testid="binding">{keysOf(c, keyBindings).map(keyName).join(' / ') || '—'}</kbd>
                  {capturing === c.id ? (
                    <button type="button" className="capturing" autoFocus onKeyDown={(e) => onCapture(c.id, e)} onBlur={() => setCapturing(undefined)}>
                      Press a key… (Esc cancels)
                    </button>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Change the key of ${c.label}`}
                      onClick={() => {
                        setCapturing(c.id);
                        setMessage(undefined);
                      }}
                    >
                      Change
                    </button>
                  )}
                </div>
              ))}
            </div>
          ))}
        </div>
      </section>
      <section>
        <h3>Your W/L presets</h3>
        <p className="muted">Save the window on screen from the W/L preset menu; keys 6–9 apply it.</p>
        <ul className="settings-presets" data-testid="reader-presets">
          {Array.from({ length: 4 }, (_, i) => {
            const p = readerPresets[i];
            return (
              <li key={i} data-slot={SITE_PRESET_SLOTS + i + 1}>
                <kbd>{SITE_PRESET_SLOTS + i + 1}</kbd> {p ? `${p.label} (${windowText(p)})` : <span className="muted">free</span>}
                {p && (
                  <button type="button" onClick={() => setReaderPreset(i, null)} aria-label={`Remove preset ${SITE_PRESET_SLOTS + i + 1}`}>
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </Modal>
  );
}
