/** The app-wide keyboard: the keys of the action registry (actions.ts), Escape, and Tab kept inside a dialog. */
import { useApp } from '../../state/app-store';
import { actionForKey } from './actions';

/** Tab and Shift+Tab stay inside an open dialog. */
function keepFocusInDialog(e: KeyboardEvent): void {
  const dialog = document.querySelector<HTMLElement>('[role="dialog"]');
  if (!dialog) return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled'),
  );
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  const active = document.activeElement;
  if (!dialog.contains(active) || active === (e.shiftKey ? first : last)) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

export function onGlobalKey(e: KeyboardEvent): void {
  const app = useApp.getState();
  if (e.key === 'Tab') return keepFocusInDialog(e);
  if (e.key === 'Escape') {
    if (app.closeDialogs()) e.preventDefault();
    return;
  }
  const action = actionForKey(e, app);
  if (!action) return;
  e.preventDefault();
  void action.run!(app);
}
