import { Dialog } from '../ui/Dialog';
import type { Area } from './areas';

/** The `?` overlay: every keyboard shortcut the shell understands. */
export function ShortcutHelp({
  open,
  areas,
  onClose,
}: {
  open: boolean;
  areas: Area[];
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcut-table">
        <tbody>
          {areas.map((area) => (
            <tr key={area.id}>
              <td>
                <kbd>g</kbd> then <kbd>{area.key}</kbd>
              </td>
              <td>Go to {area.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>?</kbd>
            </td>
            <td>Show this help</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>Close a dialog or menu</td>
          </tr>
          <tr>
            <td>
              <kbd>Tab</kbd>
            </td>
            <td>Move through links, buttons and fields</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
