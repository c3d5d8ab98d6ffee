/** `?`: every keyboard shortcut, in one place. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';

export const SHORTCUTS: [string, string][] = [
  ['j / ↓', 'next event'],
  ['k / ↑', 'previous event'],
  ['g / G', 'first / last event'],
  ['PgUp / PgDn', 'a page up / down (timeline focused)'],
  ['Alt+← / Alt+→', 'back / forward through what you selected'],
  ['Ctrl+K / ⌘K', 'command palette: go to a run or an event, run any action'],
  ['/ or Ctrl+F', 'search the run'],
  ['Enter / Shift+Enter', 'next / previous match (in the search box)'],
  ['1 / 2 / 3', 'event / graph / status panel'],
  ['Escape', 'close the dialog'],
  ['?', 'this list'],
];

export function Shortcuts() {
  const { setShowShortcuts } = useApp(useShallow((s) => ({ setShowShortcuts: s.setShowShortcuts })));
  return (
    <div className="modal-backdrop" onClick={() => setShowShortcuts(false)}>
      <div className="modal" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Keyboard shortcuts">
        <h3>Keyboard shortcuts</h3>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, v]) => (
              <tr key={k}>
                <th>
                  <kbd>{k}</kbd>
                </th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="buttons">
          <button onClick={() => setShowShortcuts(false)}>Close</button>
        </div>
      </div>
    </div>
  );
}
