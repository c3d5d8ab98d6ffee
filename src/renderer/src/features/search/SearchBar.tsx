/**
 * Search the run (`/` or Ctrl+F): event ids, types, actors and payload text, with a match count and
 * next/previous. A match is found by the engine (a filtered count and one row), so the count and the
 * first match come back at once even on a million-event run; matches are highlighted in the timeline.
 */
import { useEffect, useRef, useState } from 'react';
import { compactNumber } from '../../ui/format';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';

export function SearchBar() {
  const { storeId, runId, filter, search, setSearch, jumpTo } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, search: s.search, setSearch: s.setSearch, jumpTo: s.jumpTo })),
  );
  const [query, setQuery] = useState(search);
  // The match asked for: the query as typed (once typing pauses) and which of its matches.
  const [asked, setAsked] = useState<{ q: string; index: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // `/` and Ctrl+F (App) focus this box.
  useEffect(() => {
    const focus = () => input.current?.focus();
    window.addEventListener('ri-focus-search', focus);
    return () => window.removeEventListener('ri-focus-search', focus);
  }, []);

  // A new query, run or filter starts the search over.
  useEffect(() => {
    const q = query.trim();
    setSearch(q);
    if (!q) return setAsked(null);
    const t = setTimeout(() => setAsked({ q, index: 0 }), 250);
    return () => clearTimeout(t);
  }, [query, storeId, runId, filter, setSearch]);

  // Matches within the active filters (the search narrows what the timeline shows): a count and one row.
  const match = useView('search', 'timelineWindow', storeId && runId && asked ? { storeId, runId, filter: { ...filter, search: asked.q }, offset: asked.index, limit: 1 } : null, {
    keep: true,
  });
  const total = asked ? (match.data?.total ?? null) : null;
  const index = match.of?.offset ?? 0;
  useEffect(() => {
    const row = match.data?.rows[0];
    if (row) void jumpTo({ seq: row.seq }, undefined, true);
  }, [match.data, jumpTo]);

  const step = (d: number) => {
    if (!total || !asked) return;
    setAsked({ q: asked.q, index: (index + d + total) % total });
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
