/** Filters (type family, actor, payload text, an event query) and jump (seq, place in the run or event id), above the timeline. */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { familiesOf, familyHue } from '../../ui/format';

/** Shown until the store's own types are known. */
const DEFAULT_FAMILIES = ['object', 'relation', 'patch', 'behavior', 'llm', 'tool', 'embedding', 'runtime', 'goal', 'pack'];

export function FilterBar() {
  const { filter, setFilter, jumpTo, selected, setForkAt, storeId, runId, stores, shownRows, runEvents } = useApp(
    useShallow((s) => ({
      filter: s.filter,
      setFilter: s.setFilter,
      jumpTo: s.jumpTo,
      selected: s.selected,
      setForkAt: s.setForkAt,
      storeId: s.storeId,
      runId: s.runId,
      stores: s.stores,
      shownRows: s.timelineTotal,
      runEvents: s.runs.find((r) => r.run_id === s.runId)?.event_count ?? null,
    })),
  );
  const filtering = Boolean(filter.types?.length || filter.actor || filter.text || filter.compact || filter.where);
  const writable = stores.find((s) => s.storeId === storeId)?.writable ?? false;
  const [text, setText] = useState(filter.text ?? '');
  const [actor, setActor] = useState(filter.actor ?? '');
  // An event query is applied on Enter, not as it is typed: half an expression does not parse.
  const [where, setWhere] = useState(filter.where ?? '');
  const filterWhere = filter.where ?? '';
  useEffect(() => setWhere(filterWhere), [filterWhere]);
  const [jump, setJump] = useState('');
  const families = new Set((filter.types ?? []).map((t) => t.replace(/\.$/, '')));
  // The families this store's events actually have (other runtimes have their own); until they are
  // known, or if asking fails (the store's own error shows in the timeline), the defaults stay.
  const { data: types } = useView('eventTypes', 'eventTypes', storeId ? { storeId } : null, { quiet: true });
  const storeFamilies = types && familiesOf(types);

  // The actors the run has, for the actor box's suggestions: asked when the box is first used, since
  // on a million-event run the count is a second of the host's time that opening the run must not wait for.
  const [wantActorsOf, setWantActorsOf] = useState<string | null>(null);
  const { data: actors } = useView('actors', 'actors', storeId && runId && wantActorsOf === `${storeId}/${runId}` ? { storeId, runId } : null, { quiet: true });

  // The inputs start from the run's filter when the run changes, not on every filter edit.
  const filterText = filter.text ?? '';
  const filterActor = filter.actor ?? '';
  useEffect(() => {
    setText(filterText);
    setActor(filterActor);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new run resets what is being typed
  }, [storeId, runId]);

  // Debounce typing into the text/actor filters.
  useEffect(() => {
    const t = setTimeout(() => {
      if ((filter.text ?? '') !== text || (filter.actor ?? '') !== actor) setFilter(clean({ ...filter, text: text || undefined, actor: actor || undefined }));
    }, 300);
    return () => clearTimeout(t);
  }, [text, actor, filter, setFilter]);

  const toggle = (fam: string) => {
    const next = new Set(families);
    if (next.has(fam)) next.delete(fam);
    else next.add(fam);
    setFilter(clean({ ...filter, types: next.size ? [...next].map((f) => `${f}.`) : undefined }));
  };

  // A typo here is a hint beside the box, not an error banner.
  const [jumpHint, setJumpHint] = useState<string | null>(null);
  /** Jumps where the box says; what went wrong or needs saying, else null. */
  const findJump = async (v: string): Promise<string | null> => {
    if (/^#\d+$/.test(v)) return jumpTo({ index: Number(v.slice(1)) }, undefined, true);
    if (!/^-?\d+$/.test(v)) return jumpTo({ eventId: v }, undefined, true);
    // A number is a seq; seqs are store-wide, so a fork's first event may be seq 353: a number that
    // is no seq of this run but is one of its places is taken as that place, and said so.
    const n = Number(v);
    const hint = await jumpTo({ seq: n }, undefined, true);
    if (useApp.getState().selected?.seq === n) return hint;
    if (n >= 1 && n <= (runEvents ?? 0)) return (await jumpTo({ index: n }, undefined, true)) ?? `seq ${n} is not in this run (seqs are store-wide): showing its event #${n}`;
    return hint;
  };
  const doJump = async () => {
    const v = jump.trim();
    if (!v) return;
    const hint = await findJump(v);
    setJumpHint(hint);
    // Landed: the keys move from the landing place (j/k, arrows), as after a click on a row.
    if (hint === null) document.querySelector<HTMLElement>('.timeline-body')?.focus();
  };

  return (
    <div className="filterbar">
      <div className="families" role="group" aria-label="type families">
        {(storeFamilies ?? DEFAULT_FAMILIES).map((f) => (
          <button
            key={f}
            className={`chip toggle${families.has(f) ? ' on' : ''}`}
            style={{ ['--hue' as string]: familyHue(`${f}.x`) }}
            onClick={() => toggle(f)}
            aria-pressed={families.has(f)}
          >
            {f}
          </button>
        ))}
      </div>
      {filtering && shownRows !== null && runEvents !== null && (
        <span className="filter-count" data-testid="filter-count">
          {shownRows.toLocaleString('en-US')} of {runEvents.toLocaleString('en-US')} events
        </span>
      )}
      <input
        className="filter-actor"
        placeholder="actor"
        list="ri-actors"
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        onFocus={() => setWantActorsOf(`${storeId}/${runId}`)}
        aria-label="actor filter"
      />
      <datalist id="ri-actors">
        {(actors ?? []).map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <input className="filter-text" placeholder="payload text" value={text} onChange={(e) => setText(e.target.value)} aria-label="payload text filter" />
      <input
        className="filter-where"
        placeholder="where: payload.cost_usd > 0.01"
        value={where}
        onChange={(e) => setWhere(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && setFilter(clean({ ...filter, where: where.trim() || undefined }))}
        aria-label="event query filter"
        title="An event query, applied on Enter: type = 'llm.responded' and payload.cost_usd > 0.01 · actor starts with 'research' · exists payload.error · descendant of evt_12 (and, or, not)"
      />
      <input
        className="jump"
        placeholder="jump: seq, #n or event id"
        value={jump}
        onChange={(e) => (setJump(e.target.value), setJumpHint(null))}
        onKeyDown={(e) => e.key === 'Enter' && void doJump()}
        aria-label="jump to"
        aria-invalid={jumpHint !== null}
        title={jumpHint ?? 'Enter a seq or an event id'}
      />
      {jumpHint && (
        <span className="jump-hint" role="status" data-testid="jump-hint">
          {jumpHint}
        </span>
      )}
      <button onClick={() => void jumpTo({ position: 'first' })} title="First event (Home)">
        ⇤
      </button>
      <button onClick={() => void jumpTo({ position: 'last' })} title="Last event (End)">
        ⇥
      </button>
      <button
        className="primary"
        disabled={!selected || !writable}
        title={writable ? 'Fork this run at the selected event' : 'Fork works on Active Graph stores'}
        onClick={() => selected && setForkAt({ id: selected.id, seq: selected.seq, type: '' })}
      >
        Fork here
      </button>
    </div>
  );
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}
