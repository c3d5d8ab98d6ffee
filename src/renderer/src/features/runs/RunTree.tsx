/**
 * The store's runs as a lineage tree (forks under their parents), filtered and sorted, virtualized
 * so that a team's store of ten thousand runs scrolls like ten.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { buildLineage } from './lineage';
import { RunFilters } from './RunFilters';
import { RunRow } from './RunRow';
import { forkFamily, NO_QUERY, runListRows, type RunListQuery } from './run-list-rows';
import { StandbyLag } from './StandbyLag';
import { setThemeChoice, themeChoice, type ThemeChoice } from '../../ui/theme';

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
  const { runs, runId, selectRun, stores, storeId, selectStore, setShowOpen, setCompare, compareWithParent, setShowMigrate, setPromote, setCountFirst, runFailures, loadFailures } =
    useApp(
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
        setCountFirst: s.setCountFirst,
        runFailures: s.runFailures,
        loadFailures: s.loadFailures,
      })),
    );
  const [query, setQuery] = useState<RunListQuery>(NO_QUERY);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const roots = useMemo(() => buildLineage(runs), [runs]);
  const rows = useMemo(() => runListRows(roots, query, collapsed, runFailures), [roots, query, collapsed, runFailures]);
  const store = stores.find((s) => s.storeId === storeId);
  const copy = useApp((s) => (storeId ? s.droppedCopies[storeId] : undefined));
  const needsFailures = query.sort === 'failures' || query.state === 'failed';
  useEffect(() => {
    if (needsFailures && !runFailures) void loadFailures();
  }, [needsFailures, runFailures, loadFailures]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const list = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => 52, overscan: 8, getItemKey: (i) => rows[i]!.run.run_id });
  const items = list.getVirtualItems();
  // The rows in view are counted first (a big store's counts fill in as they arrive).
  const inView = items.map((i) => rows[i.index]?.run.run_id ?? '').join(' ');
  useEffect(() => setCountFirst(inView ? inView.split(' ') : []), [inView, setCountFirst]);
  // A new filter or sort shows its top; a run chosen anywhere (a link, the palette, a compare) is brought into view.
  useEffect(() => list.scrollToOffset(0), [query, list]);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    const at = rowsRef.current.findIndex((r) => r.run.run_id === runId);
    if (at >= 0) list.scrollToIndex(at, { align: 'auto' });
  }, [runId, list]);

  const toggle = (id: string, open?: boolean) =>
    setCollapsed((was) => {
      const next = new Set(was);
      if (open ?? next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const focusRun = (id: string) => requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLButtonElement>(`button.run[data-run-id="${CSS.escape(id)}"]`)?.focus());

  // ↑/↓ move to the run above or below and select it; ←/→ fold and unfold its forks.
  const onRunKey = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const at = rows.findIndex((r) => r.run.run_id === (document.activeElement as HTMLElement | null)?.dataset.runId);
    if (at < 0) return;
    const row = rows[at]!;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = rows[Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]!;
      e.preventDefault();
      selectRun(next.run.run_id);
      focusRun(next.run.run_id);
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && row.hasChildren) {
      e.preventDefault();
      toggle(row.run.run_id, e.key === 'ArrowRight');
    }
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
      {store?.note && (
        <p className="notice small" data-testid="store-note">
          {store.note}
        </p>
      )}
      {copy && (
        <p className="notice small" data-testid="dropped-copy">
          A copy of {copy.name} (a page gets a dropped file&apos;s bytes, not the file): forks and promotes write to the copy, {copy.keptAt}, not to your file.
        </p>
      )}
      <RunFilters query={query} onChange={setQuery} shown={rows.filter((r) => !r.context).length} total={runs.length} failuresKnown={runFailures !== null} />
      <div className="runs" ref={scrollRef} role="tree" aria-label="runs" onKeyDown={onRunKey}>
        <div style={{ height: list.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={list.measureElement} className="run-slot" style={{ transform: `translateY(${item.start}px)` }}>
                <RunRow
                  row={row}
                  active={row.run.run_id === runId}
                  failures={runFailures ? (runFailures.get(row.run.run_id) ?? 0) : null}
                  onSelect={() => selectRun(row.run.run_id)}
                  onToggle={() => toggle(row.run.run_id)}
                  onCompareWithParent={() => void compareWithParent(row.run)}
                  onPromote={() => setPromote({ parentRunId: row.run.parent_run_id!, forkRunId: row.run.run_id })}
                  onCompareForks={() => useApp.getState().setMatrix(forkFamily(runs, row.run.run_id))}
                />
              </div>
            );
          })}
        </div>
      </div>
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
