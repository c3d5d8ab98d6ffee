/**
 * Search the run (`/` or Ctrl+F): event ids, types, actors and payload text, with a match count and
 * next/previous. A match is found by the engine (a filtered count and one row), so the count and the
 * first match come back at once even on a million-event run; matches are highlighted in the timeline.
 */
import { useEffect, useRef, useState } from 'react';
import { call, unlessCancelled } from '../../api/transport';
import { compactNumber } from '../../ui/format';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';

export function SearchBar() {
  const { storeId, runId, filter, search, setSearch, jumpTo, showError } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, search: s.search, setSearch: s.setSearch, jumpTo: s.jumpTo, showError: s.showError })),
  );
  const [query, setQuery] = useState(search);
  const [total, setTotal] = useState<number | null>(null);
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  // `/` and Ctrl+F (App) focus this box.
  useEffect(() => {
    const focus = () => input.current?.focus();
    window.addEventListener('ri-focus-search', focus);
    return () => window.removeEventListener('ri-focus-search', focus);
  }, []);

  // Matches within the active filters (the search narrows what the timeline shows).
  const matchFilter = (q: string) => ({ ...filter, search: q });

  const goTo = async (i: number, q: string, signal?: AbortSignal) => {
    if (!storeId || !runId) return;
    const win = await call('timelineWindow', { storeId, runId, filter: matchFilter(q), offset: i, limit: 1 }, signal);
    setTotal(win.total);
    setIndex(i);
    const row = win.rows[0];
    if (row) await jumpTo({ seq: row.seq }, undefined, true);
  };

  useEffect(() => {
    const q = query.trim();
    setSearch(q);
    if (!q) {
      setTotal(null);
      return;
    }
    const typing = new AbortController();
    const t = setTimeout(() => void goTo(0, q, typing.signal).catch(unlessCancelled(showError)), 250);
    return () => {
      clearTimeout(t);
      typing.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new query (or run) starts the search over
  }, [query, storeId, runId]);

  const step = (d: number) => {
    if (!total) return;
    void goTo((index + d + total) % total, query.trim()).catch(showError);
  };

  return (
    <div className="searchbar" role="search">
      <input
        ref={input}
        placeholder="search this run (/)"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') step(e.shiftKey ? -1 : 1);
          if (e.key === 'Escape') {
            setQuery('');
            input.current?.blur();
          }
        }}
        aria-label="search the run"
      />
      {total !== null && (
        <span className="search-count" data-testid="search-count">
          {total === 0 ? 'no match' : `${compactNumber(index + 1)} of ${total.toLocaleString('en-US')}`}
        </span>
      )}
      <button onClick={() => step(-1)} disabled={!total} title="Previous match (Shift+Enter)" aria-label="previous match">
        ↑
      </button>
      <button onClick={() => step(1)} disabled={!total} title="Next match (Enter)" aria-label="next match">
        ↓
      </button>
    </div>
  );
}
