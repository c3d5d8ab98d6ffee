/**
 * Search the run (`/` or Ctrl+F): event ids, types, actors and payload text, with next/previous and
 * a match count. The match is found first (the run walked from where the search stands until an
 * event matches), so it shows at once even on a million-event run of a shared Postgres store; the
 * count and the match's place among all of them follow when they are counted. Matches are
 * highlighted in the timeline.
 */
import { useEffect, useRef, useState } from 'react';
import { compactNumber } from '../../ui/format';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';

/** Where the asked match is: the first, the first after a seq, or the last before one (null: the last of all). */
type From = { after?: number } | { before: number | null };

export function SearchBar() {
  const { storeId, runId, filter, search, setSearch, jumpTo } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, search: s.search, setSearch: s.setSearch, jumpTo: s.jumpTo })),
  );
  const [query, setQuery] = useState(search);
  // The match asked for: the query as typed (once typing pauses) and where from.
  const [asked, setAsked] = useState<{ q: string; from: From } | null>(null);
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
    const t = setTimeout(() => setAsked({ q, from: {} }), 250);
    return () => clearTimeout(t);
  }, [query, storeId, runId, filter, setSearch]);

  // Matches within the active filters (the search narrows what the timeline shows).
  const matching = asked ? { ...filter, search: asked.q } : null;
  const from = asked?.from;
  const match = useView(
    'search',
    'findEvent',
    storeId && runId && matching && from
      ? {
          storeId,
          runId,
          filter: matching,
          ...('before' in from ? { beforeSeq: from.before ?? Number.MAX_SAFE_INTEGER } : from.after === undefined ? {} : { afterSeq: from.after }),
        }
      : null,
  );
  const found = match.data;
  // Past the last match (or before the first): around to the other end.
  const wrapped = found && found.seq === null && from && ('before' in from ? from.before !== null : from.after !== undefined);
  useEffect(() => {
    if (wrapped && asked) setAsked({ q: asked.q, from: 'before' in asked.from ? { before: null } : {} });
  }, [wrapped, asked]);
  useEffect(() => {
    if (found?.seq != null) void jumpTo({ seq: found.seq }, undefined, true);
  }, [found, jumpTo]);

  // The count and the match's place among all of them, when counted.
  const count = useView('search.count', 'locateEvent', storeId && runId && matching && found?.seq != null ? { storeId, runId, filter: matching, seq: found.seq } : null, {
    keep: true,
  });
  const none = found !== undefined && found !== null && found.seq === null && !wrapped;
  const total = none ? 0 : (count.data?.total ?? null);
  const position = count.data?.offset ?? null;

  const step = (d: number) => {
    if (!asked || found?.seq == null) return;
    setAsked({ q: asked.q, from: d > 0 ? { after: found.seq } : { before: found.seq } });
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
      {asked && (none || found?.seq != null) && (
        <span className="search-count" data-testid="search-count">
          {none ? 'no match' : total === null || position === null ? 'counting…' : `${compactNumber(position + 1)} of ${total.toLocaleString('en-US')}`}
        </span>
      )}
      <button onClick={() => step(-1)} disabled={found?.seq == null} title="Previous match (Shift+Enter)" aria-label="previous match">
        ↑
      </button>
      <button onClick={() => step(1)} disabled={found?.seq == null} title="Next match (Enter)" aria-label="next match">
        ↓
      </button>
    </div>
  );
}
