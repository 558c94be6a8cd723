import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../common/Modal';
import { commandLabel, groupLabel, keyLabel, refusalText } from './commandText';
import { SITE_PRESET_SLOTS } from '../../model/windowPresets';
import { usePreferencesStore } from '../../store/preferences';
import { useViewerStore } from '../../store/viewer';
import { bindKey, COMMAND_GROUPS, COMMANDS, keyOfEvent, keysOf } from './commands';
import { presetLabel, useWindowText } from './PresetPicker';

/**
 * The reader's settings, kept in this browser: the key of each command (press Change, then the new key; a key
 * another command has is refused, naming it) and the reader's own W/L presets (keys 6–9).
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const readOnly = useViewerStore((s) => s.readOnly);
  const { keyBindings, setKeyBindings, resetKeyBindings, readerPresets, setReaderPreset } = usePreferencesStore();
  const [capturing, setCapturing] = useState<string>();
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const { t } = useTranslation('viewer');
  const windowText = useWindowText();

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
      if (e.altKey) setMessage({ text: t('settings.altKey'), error: true });
      return; // a modifier alone: wait for the key it modifies
    }
    const result = bindKey(keyBindings, id, key);
    if (!result.ok) {
      setMessage({ text: refusalText(result.reason, t, COMMANDS), error: true });
      return;
    }
    setKeyBindings(result.bindings);
    setCapturing(undefined);
    setMessage({ text: t('settings.bound', { key: keyLabel(key, t), command: commandLabel(COMMANDS.find((c) => c.id === id)!, t) }), error: false });
  };

  return (
    <Modal title={t('settings.title')} className="settings" testId="settings-dialog" onClose={onClose}>
      <p className="muted">{t('settings.kept')}</p>
      <div className={`settings-message${message?.error ? ' error-text' : ''}`} role={message?.error ? 'alert' : 'status'} data-testid="settings-message">
        {message?.text ?? ''}
      </div>
      <section>
        <header className="settings-header">
          <h3>{t('settings.keys')}</h3>
          <button
            type="button"
            data-testid="reset-keys"
            onClick={() => {
              resetKeyBindings();
              setCapturing(undefined);
              setMessage({ text: t('settings.resetDone'), error: false });
            }}
          >
            {t('settings.reset')}
          </button>
        </header>
        <div className="settings-keys">
          {COMMAND_GROUPS.map((group) => (
            <div key={group} className="settings-group">
              <h4>{groupLabel(group, t)}</h4>
              {COMMANDS.filter((c) => c.group === group && (!readOnly || !c.edits)).map((c) => (
                <div key={c.id} className="settings-row" data-command={c.id}>
                  <span className="settings-label">{commandLabel(c, t)}</span>
                  <kbd data-testid="binding">{keysOf(c, keyBindings).map((k) => keyLabel(k, t)).join(' / ') || '—'}</kbd>
                  {capturing === c.id ? (
                    <button type="button" className="capturing" autoFocus onKeyDown={(e) => onCapture(c.id, e)} onBlur={() => setCapturing(undefined)}>
                      {t('settings.pressKey')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      aria-label={t('settings.changeKeyOf', { command: commandLabel(c, t) })}
                      onClick={() => {
                        setCapturing(c.id);
                        setMessage(undefined);
                      }}
                    >
                      {t('settings.change')}
                    </button>
                  )}
                </div>
              ))}
            </div>
          ))}
        </div>
      </section>
      <section>
        <h3>{t('settings.presets')}</h3>
        <p className="muted">{t('settings.presetsHint')}</p>
        <ul className="settings-presets" data-testid="reader-presets">
          {Array.from({ length: 4 }, (_, i) => {
            const p = readerPresets[i];
            return (
              <li key={i} data-slot={SITE_PRESET_SLOTS + i + 1}>
                <kbd>{SITE_PRESET_SLOTS + i + 1}</kbd>{' '}
                {p ? (
                  <>
                    <bdi>{presetLabel(p, t)}</bdi> ({windowText(p)})
                  </>
                ) : (
                  <span className="muted">{t('settings.free')}</span>
                )}
                {p && (
                  <button type="button" onClick={() => setReaderPreset(i, null)} aria-label={t('settings.removePreset', { n: SITE_PRESET_SLOTS + i + 1 })}>
                    {t('settings.remove')}
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
