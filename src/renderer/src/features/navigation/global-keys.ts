/** The app-wide keyboard: moves, history, search, panels, dialogs (see components/Shortcuts.tsx). */
import { useApp } from '../../state/app-store';

/** Inputs whose keys are text: a checkbox or a button keeps the app's keys working after a click. */
const TEXT_INPUT = /^(text|search|url|email|password|number|tel|date|datetime-local|month|time|week)$/;

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) || (t instanceof HTMLInputElement && TEXT_INPUT.test(t.type)));

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
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
    e.preventDefault();
    app.setShowPalette(true);
    return;
  }
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    window.dispatchEvent(new Event('ri-focus-search'));
    return;
  }
  if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    e.preventDefault();
    if (e.key === 'ArrowLeft') history.back();
    else history.forward();
    return;
  }
  if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
  const inTimeline = e.target instanceof HTMLElement && e.target.closest('.timeline-body') !== null;
  if (e.target instanceof HTMLElement && e.target.closest('.runs') && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) return; // the run list moves itself
  switch (e.key) {
    case 'j':
      void app.step(1);
      break;
    case 'k':
      void app.step(-1);
      break;
    case 'ArrowDown':
    case 'ArrowUp':
      if (inTimeline) return; // the focused timeline moves itself
      void app.step(e.key === 'ArrowDown' ? 1 : -1);
      break;
    case 'g':
      void app.jumpTo({ position: 'first' });
      break;
    case 'G':
      void app.jumpTo({ position: 'last' });
      break;
    case '/':
      window.dispatchEvent(new Event('ri-focus-search'));
      break;
    case '?':
      app.setShowShortcuts(true);
      break;
    case '1':
    case '2':
    case '3':
      app.setRightTab((['event', 'graph', 'status'] as const)[Number(e.key) - 1]!);
      break;
    default:
      return;
  }
  e.preventDefault();
}
