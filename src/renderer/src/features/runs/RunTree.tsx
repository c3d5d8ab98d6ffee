/** The store's runs as a lineage tree: forks under their parents, with fork points and labels. */
import { StandbyLag } from './StandbyLag';
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, type RunInfo } from '../../state/app-store';
import { compactNumber } from '../../ui/format';
import { buildLineage, type LineageNode } from './lineage';
import { setThemeChoice, themeChoice, type ThemeChoice } from '../../ui/theme';

/** Colours for other runtimes' status words. */
function nativeClass(status: string): string {
  const s = status.toLowerCase();
  return /fail|abort|dirty|error/.test(s) ? 'exhausted' : /complet|succeed|closed|ended/.test(s) ? 'idle' : 'stopped';
}

function matches(r: RunInfo, q: string): boolean {
  return [r.run_id, r.label ?? '', r.goal ?? ''].some((s) => s.toLowerCase().includes(q));
}

const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];
const THEME_LABEL: Record<ThemeChoice, string> = { system: '◐ system', light: '☀ light', dark: '☾ dark' };

/** Light, dark, or the OS's: one click moves to the next. */
function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice);
  const next = THEMES[(THEMES.indexOf(choice) + 1) % THEMES.length]!;
  return (
    <button
      className="theme-toggle"
      title={`Theme: ${choice} (click for ${next})`}
      aria-label={`theme: ${choice}`}
      onClick={() => {
        setThemeChoice(next);
        setChoice(next);
      }}
    >
      {THEME_LABEL[choice]}
    </button>
  );
}

export function RunTree() {
  const { runs, runId, selectRun, stores, storeId, selectStore, setShowOpen, setCompare, compareWithParent, setShowMigrate, setPromote } = useApp(
    useShallow((s) => ({
      runs: s.runs,
      runId: s.runId,
      selectRun: s.selectRun,
      stores: s.stores,
      storeId: s.storeId,
      selectStore: s.selectStore,
      setShowOpen: s.setShowOpen,
      setCompare: s.setCompare,
      compareWithParent: s.compareWithParent,
      setShowMigrate: s.setShowMigrate,
      setPromote: s.setPromote,
    })),
  );
  const [query, setQuery] = useState('');
  const roots = useMemo(() => buildLineage(runs), [runs]);
  const q = query.trim().toLowerCase();
  const store = stores.find((s) => s.storeId === storeId);

  // ↑/↓ in the run list move to the run above or below (in tree order) and select it.
  const onRunKey = (e: React.KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('li:not(.hidden) > button.run')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    e.preventDefault();
    next.focus();
    selectRun(next.dataset.runId!);
  };

  const renderNode = (node: LineageNode, depth: number): React.ReactNode => {
    const visible = !q || matches(node.run, q) || node.children.some((c) => matches(c.run, q));
    const r = node.run;
    return (
      <li key={r.run_id} className={visible ? '' : 'hidden'}>
        <button
          className={`run${r.run_id === runId ? ' active' : ''}`}
          style={{ paddingLeft: 8 + depth * 14 }}
          onClick={() => selectRun(r.run_id)}
          data-run-id={r.run_id}
          title={r.run_id}
        >
          <span className="run-line1">
            {node.inCycle && (
              <span className="cycle-mark" title={`The lineage loops: ${r.run_id}'s parent chain leads back to itself (${r.parent_run_id}). Shown at the top level.`}>
                ⟲
              </span>
            )}
            {r.forked_at_event_id && (
              <span className="fork-mark" aria-label="fork">
                ↳
              </span>
            )}
            <span className="run-goal">{r.label ? `${r.label}` : (r.goal ?? '(no goal)')}</span>
            <span className={`state state-${r.native_status ? nativeClass(r.native_status) : r.state}`}>{r.native_status ?? r.state}</span>
          </span>
          <span className="run-line2">
            <code>{r.run_id.slice(0, 10)}…</code> · {r.event_count === null ? '…' : compactNumber(r.event_count)} ev{r.archived_count ? ` (+${r.archived_count} archived)` : ''}
            {r.forked_at_event_id && <> · at {r.forked_at_event_id}</>}
          </span>
          {r.label && r.goal && <span className="run-line2 muted">{r.goal}</span>}
          <span className="run-line2 muted">{r.created_at}</span>
        </button>
        {r.parent_run_id && r.forked_at_event_id && r.run_id === runId && (
          <span className="run-actions">
            <button className="link small" onClick={() => void compareWithParent(r)}>
              compare with parent
            </button>
            <button className="link small" onClick={() => setPromote({ parentRunId: r.parent_run_id!, forkRunId: r.run_id })}>
              promote into parent…
            </button>
          </span>
        )}
        {node.children.length > 0 && <ul>{node.children.map((c) => renderNode(c, depth + 1))}</ul>}
      </li>
    );
  };

  return (
    <aside className="sidebar">
      <div className="store-head">
        <select value={storeId ?? ''} onChange={(e) => void selectStore(e.target.value)} aria-label="open stores">
          {stores.map((s) => (
            <option key={s.storeId} value={s.storeId}>
              {s.displayName}
            </option>
          ))}
        </select>
        <button onClick={() => setShowOpen(true)} title="Open a SQLite file or connect to Postgres">
          Open…
        </button>
      </div>
      {store && (
        <div className="store-url" title={store.url}>
          {store.driver} · {store.url}
          <StandbyLag storeId={store.storeId} driver={store.driver} />
        </div>
      )}
      <input className="search" placeholder="Search runs by id, label or goal" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="runs" onKeyDown={onRunKey}>
        {roots.map((n) => renderNode(n, 0))}
      </ul>
      <div className="sidebar-actions">
        <button
          onClick={() => storeId && setCompare({ a: { storeId, runId: runs[0]?.run_id ?? '' }, b: { storeId, runId: runs[1]?.run_id ?? runs[0]?.run_id ?? '' } })}
          disabled={runs.length === 0 || (runs.length < 2 && stores.length < 2)}
        >
          Compare runs…
        </button>
        {store?.writable && <button onClick={() => setShowMigrate(true)}>Migrate…</button>}
        <ThemeToggle />
      </div>
    </aside>
  );
}
