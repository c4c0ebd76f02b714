import { Dialog } from '../ui/Dialog';
import type { Area } from './areas';
import type { PageShortcut } from './pageShortcuts';

/** The `?` overlay: every keyboard shortcut the shell understands. */
export function ShortcutHelp({
  open,
  areas,
  pageShortcuts,
  onClose,
}: {
  open: boolean;
  areas: Area[];
  /** The open page's own shortcuts, listed first. */
  pageShortcuts: Pick<PageShortcut, 'key' | 'label'>[];
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      {pageShortcuts.length > 0 && (
        <table className="shortcut-table">
          <caption>On this page</caption>
          <tbody>
            {pageShortcuts.map((shortcut) => (
              <tr key={shortcut.key}>
                <td>
                  <kbd>{shortcut.key === 'Escape' ? 'Esc' : shortcut.key}</kbd>
                </td>
                <td>{shortcut.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table className="shortcut-table">
        {pageShortcuts.length > 0 && <caption>Everywhere</caption>}
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
