/** `?`: every keyboard shortcut, as the action registry lists them. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { ACTIONS, actionLabel } from './actions';
import { Dialog } from '../../ui/Dialog';

export function Shortcuts() {
  const { setShowShortcuts } = useApp(useShallow((s) => ({ setShowShortcuts: s.setShowShortcuts })));
  const state = useApp.getState();
  return (
    <Dialog label="Keyboard shortcuts" onClose={() => setShowShortcuts(false)}>
      <h3>Keyboard shortcuts</h3>
      <table className="shortcuts">
        <tbody>
          {ACTIONS.filter((a) => a.keysLabel).map((a) => (
            <tr key={a.id}>
              <th>
                <kbd>{a.keysLabel}</kbd>
              </th>
              <td>
                {actionLabel(a, state)}
                {a.handledBy && <span className="muted small"> (in {a.handledBy})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button onClick={() => setShowShortcuts(false)}>Close</button>
      </div>
    </Dialog>
  );
}
