import { Modal } from '../common/Modal';
import { useViewerStore } from '../../store/viewer';
import { COMMANDS, keyName } from './commands';

/** Every command with its keys, read from the same list the hotkeys use. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const readOnly = useViewerStore((s) => s.readOnly);
  return (
    <Modal title="Keyboard shortcuts" className="help" onClose={onClose}>
      <table>
        <tbody>
          {COMMANDS.filter((c) => !readOnly || !c.edits).map((c) => (
            <tr key={c.id}>
              <td>
                <kbd>{c.keys.map(keyName).join(' / ') || '—'}</kbd>
              </td>
              <td>{c.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>t</kbd>
            </td>
            <td>DICOM tags of the current image</td>
          </tr>
          <tr>
            <td>
              <kbd>Wheel</kbd> · <kbd>Middle drag</kbd> · <kbd>Right drag</kbd>
            </td>
            <td>Scroll images · Pan · Zoom</td>
          </tr>
        </tbody>
      </table>
    </Modal>
  );
}
