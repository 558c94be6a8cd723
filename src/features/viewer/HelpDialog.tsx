import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Modal } from '../common/Modal';
import { commandLabel, groupLabel, keyLabel } from './commandText';
import { useViewerStore } from '../../store/viewer';
import { usePreferencesStore } from '../../store/preferences';
import { COMMAND_GROUPS, COMMANDS, keysOf, presetNow, type Command } from './commands';
import { presetLabel, useWindowText } from './PresetPicker';

/** A preset key's line says what it gives on the image shown (the site's, the default, or the reader's). */
function labelOf(c: Command, t: TFunction, windowText: (p: { center: number; width: number }) => string): string {
  const n = /^preset\.(\d)$/.exec(c.id);
  if (!n) return commandLabel(c, t);
  const p = presetNow(Number(n[1]));
  return p ? t('viewer:help.preset', { label: presetLabel(p, t), window: windowText(p) }) : t('viewer:help.presetNotSet', { command: commandLabel(c, t) });
}

/** Every command with its keys, by task, read from the same list (and the reader's keys) the hotkeys use. */
export function HelpDialog({ onClose, onSettings }: { onClose: () => void; onSettings: () => void }) {
  const readOnly = useViewerStore((s) => s.readOnly);
  const bindings = usePreferencesStore((s) => s.keyBindings);
  usePreferencesStore((s) => s.readerPresets);
  const usable = COMMANDS.filter((c) => !readOnly || !c.edits);
  const { t } = useTranslation('viewer');
  const windowText = useWindowText();
  return (
    <Modal
      title={t('help.title')}
      className="help"
      testId="help-dialog"
      onClose={onClose}
      headerExtra={
        <button type="button" onClick={onSettings} data-testid="help-change-keys">
          {t('help.changeKeys')}
        </button>
      }
    >
      <div className="help-groups">
        {COMMAND_GROUPS.map((group) => {
          const commands = usable.filter((c) => c.group === group);
          if (commands.length === 0) return null;
          return (
            <section key={group} className="help-group" data-group={group}>
              <h3>{groupLabel(group, t)}</h3>
              <dl>
                {commands.map((c) => (
                  <div key={c.id} className="help-row" data-command={c.id}>
                    <dt>
                      <kbd>{keysOf(c, bindings).map((k) => keyLabel(k, t)).join(' / ') || '—'}</kbd>
                    </dt>
                    <dd>{labelOf(c, t, windowText)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
        <section className="help-group" data-group="Mouse">
          <h3>{t('help.mouse')}</h3>
          <dl>
            <div className="help-row">
              <dt>
                <kbd>{t('help.leftDrag')}</kbd>
              </dt>
              <dd>{t('help.selectedTool')}</dd>
            </div>
            <div className="help-row">
              <dt>
                <kbd>{t('help.wheel')}</kbd> · <kbd>{t('help.middle')}</kbd> · <kbd>{t('help.right')}</kbd>
              </dt>
              <dd>{t('help.buttons')}</dd>
            </div>
            <div className="help-row">
              <dt>
                <kbd>{t('help.doubleClick')}</kbd>
              </dt>
              <dd>{t('help.doubleClickDoes')}</dd>
            </div>
          </dl>
        </section>
      </div>
    </Modal>
  );
}
