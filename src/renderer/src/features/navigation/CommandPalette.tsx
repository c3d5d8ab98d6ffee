/**
 * Ctrl/Cmd+K: go anywhere and do anything by typing. Runs by id, label or goal; an event by id or
 * seq; an object of the run by id, type or label (found by the engine); and every action of the
 * registry (actions.ts) that applies now, with its keys. Arrows move, Enter runs, Escape closes.
 */
import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { ACTIONS, actionLabel } from './actions';
import { savedQueries } from '../query/saved-queries';
import { Dialog } from '../../ui/Dialog';

interface Command {
  id: string;
  label: string;
  hint?: string;
  run(): void | Promise<unknown>;
}

export function CommandPalette() {
  const app = useApp(useShallow((s) => ({ runs: s.runs, runId: s.runId, selected: s.selected, stores: s.stores, storeId: s.storeId, setShowPalette: s.setShowPalette })));
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const objects = useObjectsMatching(query.trim(), app.storeId, app.runId);
  const close = () => app.setShowPalette(false);

  // Asked anew each render: what applies follows the app's state (the selection, the run, the store).
  const commands = ((): Command[] => {
    const s = useApp.getState();
    const q = query.trim();
    const out: Command[] = [];
    if (/^evt_\w+$/.test(q)) out.push({ id: 'go-event', label: `Go to event ${q}`, run: () => s.jumpTo({ eventId: q }) });
    if (/^-?\d+$/.test(q)) out.push({ id: 'go-seq', label: `Go to seq ${q}`, run: () => s.jumpTo({ seq: Number(q) }) });
    for (const o of objects) out.push({ id: `obj:${o.id}`, label: `Object: ${o.id}${o.label ? ` “${o.label}”` : ''}`, hint: o.type, run: () => s.goToObject(o.id) });
    for (const r of app.runs) out.push({ id: `run:${r.run_id}`, label: `Run: ${r.label ?? r.goal ?? r.run_id}`, hint: r.run_id, run: () => s.selectRun(r.run_id) });
    const store = s.stores.find((x) => x.storeId === s.storeId);
    if (store)
      for (const saved of savedQueries(store.linkUrl)) out.push({ id: `query:${saved}`, label: `Query: ${saved}`, hint: 'saved query', run: () => s.runGraphQuery(saved) });
    for (const a of ACTIONS) {
      if (!a.run || a.paletteHidden || !(a.when?.(s) ?? true)) continue;
      out.push({ id: a.id, label: actionLabel(a, s), hint: a.keysLabel, run: () => a.run!(useApp.getState()) });
    }
    const needle = q.toLowerCase();
    return needle ? out.filter((c) => c.id.startsWith('go-') || c.id.startsWith('obj:') || `${c.label} ${c.hint ?? ''}`.toLowerCase().includes(needle)) : out;
  })();

  const choose = (c: Command | undefined) => {
    if (!c) return;
    close();
    void c.run();
  };

  return (
    <Dialog label="Command palette" onClose={close} className="palette" backdropClassName="palette-backdrop">
      <input
        autoFocus
        placeholder="Go to a run, an event (evt_… or a seq), or do something…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((a) => Math.max(0, Math.min(commands.length - 1, a + step)));
          } else if (e.key === 'Enter') choose(commands[active]);
        }}
        aria-label="command"
      />
      <ul className="palette-list" role="listbox">
        {commands.slice(0, 50).map((c, i) => (
          <li key={c.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => choose(c)}>
            {c.label} {c.hint && <span className="muted small">{c.hint}</span>}
          </li>
        ))}
        {commands.length === 0 && <li className="muted">Nothing matches.</li>}
      </ul>
    </Dialog>
  );
}

/** The run's objects matching what is typed (two characters or more), asked of the engine as typing pauses. */
function useObjectsMatching(query: string, storeId: string | null, runId: string | null): OpOutput<'findObjects'> {
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setAsked(query), 150);
    return () => clearTimeout(t);
  }, [query]);
  const wanted = storeId && runId && asked === query && query.length >= 2 && !/^(evt_\w+|-?\d+)$/.test(query);
  // A run whose graph cannot be projected (corruption) just offers no objects here; the graph panel explains why.
  return useView('palette.objects', 'findObjects', wanted ? { storeId, runId, query, limit: 8 } : null, { quiet: true }).data ?? [];
}
