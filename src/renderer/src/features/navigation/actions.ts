/**
 * Every action of the app in one registry (as Excalidraw's actions/): its name, what the palette
 * and the shortcuts sheet say, its keys, when it applies and what it does. The global keys, the `?`
 * sheet and the Ctrl+K palette all read this list, so a key, its description and its command cannot
 * disagree. Keys a focused control handles itself (the timeline's PgUp/PgDn, the search box's
 * Enter) are listed with `handledBy` and no `run`.
 */
import { useApp, type AppState } from '../../state/app-store';
import { setThemeChoice } from '../../ui/theme';
import { downloadTrace } from '../export/export-trace';
import { downloadOtlp } from '../export/export-otlp';
import { forkFamily } from '../runs/run-list-rows';

export interface Key {
  key: string;
  /** Ctrl, or ⌘ on a Mac. Keys with a modifier work even in a text field. */
  mod?: boolean;
  alt?: boolean;
  /** Not when focus is in an element this selector matches (it moves by that key itself). */
  unlessIn?: string;
}

export interface Action {
  id: string;
  label: string | ((s: AppState) => string);
  /** What the shortcuts sheet shows for the keys (they are matched by `keys`). */
  keysLabel?: string;
  keys?: Key[];
  /** Where keys are handled by a focused control instead (shown on the sheet, not run from here). */
  handledBy?: string;
  /** Whether it applies now: the palette leaves it out, its keys do nothing. */
  when?: (s: AppState) => boolean;
  run?: (s: AppState) => void | Promise<unknown>;
  /** Keys only (a move is pointless from the palette, which closes on it). */
  paletteHidden?: boolean;
}

const shownRun = (s: AppState) => s.runs.find((r) => r.run_id === s.runId);
const writable = (s: AppState) => s.stores.find((x) => x.storeId === s.storeId)?.writable ?? false;
const focusSearch = (): void => void window.dispatchEvent(new Event('ri-focus-search'));
/** The run list and the focused timeline move by the arrows themselves. */
const OWN_ARROWS = '.timeline-body, .runs';

export const ACTIONS: Action[] = [
  { id: 'next-event', label: 'Next event', keysLabel: 'j / ↓', keys: [{ key: 'j' }, { key: 'ArrowDown', unlessIn: OWN_ARROWS }], run: (s) => s.step(1), paletteHidden: true },
  {
    id: 'previous-event',
    label: 'Previous event',
    keysLabel: 'k / ↑',
    keys: [{ key: 'k' }, { key: 'ArrowUp', unlessIn: OWN_ARROWS }],
    run: (s) => s.step(-1),
    paletteHidden: true,
  },
  { id: 'first-event', label: 'First event', keysLabel: 'g', keys: [{ key: 'g' }], when: (s) => s.runId !== null, run: (s) => s.jumpTo({ position: 'first' }) },
  { id: 'last-event', label: 'Last event', keysLabel: 'G', keys: [{ key: 'G' }], when: (s) => s.runId !== null, run: (s) => s.jumpTo({ position: 'last' }) },
  { id: 'page', label: 'A page up / down', keysLabel: 'PgUp / PgDn', handledBy: 'the focused timeline' },
  { id: 'back', label: 'Back through what you selected', keysLabel: 'Alt+←', keys: [{ key: 'ArrowLeft', alt: true }], run: () => history.back() },
  { id: 'forward', label: 'Forward through what you selected', keysLabel: 'Alt+→', keys: [{ key: 'ArrowRight', alt: true }], run: () => history.forward() },
  {
    id: 'palette',
    label: 'Command palette: go to a run, an event or an object, run any action',
    keysLabel: 'Ctrl+K / ⌘K',
    keys: [{ key: 'k', mod: true }],
    run: (s) => s.setShowPalette(true),
    paletteHidden: true,
  },
  { id: 'search', label: 'Search the run', keysLabel: '/ or Ctrl+F', keys: [{ key: '/' }, { key: 'f', mod: true }], run: focusSearch },
  { id: 'search-next', label: 'Next / previous match', keysLabel: 'Enter / Shift+Enter', handledBy: 'the search box' },
  { id: 'tab-event', label: 'Event panel', keysLabel: '1', keys: [{ key: '1' }], run: (s) => s.setRightTab('event') },
  { id: 'tab-graph', label: 'Graph panel', keysLabel: '2', keys: [{ key: '2' }], run: (s) => s.setRightTab('graph') },
  { id: 'tab-status', label: 'Status panel', keysLabel: '3', keys: [{ key: '3' }], run: (s) => s.setRightTab('status') },
  { id: 'tab-query', label: 'Query panel: ask the graph as of the selected event', keysLabel: '4', keys: [{ key: '4' }], run: (s) => s.setRightTab('query') },
  { id: 'open', label: 'Open a store…', run: (s) => s.setShowOpen(true) },
  {
    id: 'fork',
    label: (s) => `Fork here (at ${s.selected?.id})…`,
    when: (s) => s.selected !== null && writable(s),
    run: (s) => s.setForkAt({ id: s.selected!.id, seq: s.selected!.seq, type: '' }),
  },
  { id: 'what-if', label: (s) => `What if ${s.selected?.id} had not happened…`, when: (s) => s.selected !== null, run: (s) => s.setWhatIf({ exclude: [s.selected!.id] }) },
  { id: 'compare-parent', label: 'Compare with parent', when: (s) => Boolean(shownRun(s)?.parent_run_id), run: (s) => s.compareWithParent(shownRun(s)!) },
  {
    id: 'compare-forks',
    label: 'This run and its forks side by side',
    when: (s) => s.runs.some((r) => r.parent_run_id === s.runId),
    run: (s) => s.setMatrix(forkFamily(s.runs, s.runId!)),
  },
  { id: 'fleet', label: 'All the store’s runs: costs, failures, days (fleet)', when: (s) => s.storeId !== null, run: (s) => s.setShowFleet(true) },
  {
    id: 'promote',
    label: 'Promote into parent…',
    when: (s) => Boolean(shownRun(s)?.parent_run_id),
    run: (s) => s.setPromote({ parentRunId: shownRun(s)!.parent_run_id!, forkRunId: s.runId! }),
  },
  { id: 'export-jsonl', label: 'Save the run’s trace (JSONL)', when: (s) => s.runId !== null, run: (s) => downloadTrace(s.runId!, 'jsonl') },
  { id: 'save-page', label: 'Save the run as one offline page…', when: (s) => s.runId !== null, run: (s) => s.setShowSavePage(true) },
  { id: 'export-otlp', label: 'Save the run as OpenTelemetry traces (OTLP JSON)', when: (s) => s.runId !== null, run: (s) => downloadOtlp(s.runId!) },
  { id: 'export-text', label: 'Save the run’s trace (text)', when: (s) => s.runId !== null, run: (s) => downloadTrace(s.runId!, 'text') },
  { id: 'migrate', label: 'Migrate runs…', when: writable, run: (s) => s.setShowMigrate(true) },
  ...(['light', 'dark', 'system'] as const).map((t): Action => ({ id: `theme-${t}`, label: `Theme: ${t}`, run: () => setThemeChoice(t) })),
  { id: 'close', label: 'Close the dialog', keysLabel: 'Escape', handledBy: 'an open dialog' },
  { id: 'shortcuts', label: 'Keyboard shortcuts', keysLabel: '?', keys: [{ key: '?' }], run: (s) => s.setShowShortcuts(true) },
];

export const actionLabel = (a: Action, s: AppState): string => (typeof a.label === 'function' ? a.label(s) : a.label);

/** Inputs whose keys are text: a checkbox or a button keeps the app's keys working after a click. */
const TEXT_INPUT = /^(text|search|url|email|password|number|tel|date|datetime-local|month|time|week)$/;

export const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) || (t instanceof HTMLInputElement && TEXT_INPUT.test(t.type)));

function matches(k: Key, e: KeyboardEvent): boolean {
  if (k.mod) return (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === k.key;
  if (k.alt) return e.altKey && !e.ctrlKey && !e.metaKey && e.key === k.key;
  if (e.ctrlKey || e.metaKey || e.altKey || e.key !== k.key || typing(e.target)) return false;
  return !(k.unlessIn && e.target instanceof HTMLElement && e.target.closest(k.unlessIn));
}

/** The action a key press runs now, if any. */
export function actionForKey(e: KeyboardEvent, s: AppState = useApp.getState()): Action | null {
  return ACTIONS.find((a) => a.run && a.keys?.some((k) => matches(k, e)) && (a.when?.(s) ?? true)) ?? null;
}
