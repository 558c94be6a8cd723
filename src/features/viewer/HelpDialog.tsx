import { Modal } from '../common/Modal';
import { COMMANDS } from './commands';

const keyName = (k: string) => (k === ' ' ? 'Space' : k);

/** Every command with its keys, read from the same list the hotkeys use. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" className="help" onClose={onClose}>
      <table>
        <tbody>
          {COMMANDS.map((c) => (
            <tr key={c.id}>
              <td>
                <kbd>{c.keys.map(keyName).join(' / ')}</kbd>
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
