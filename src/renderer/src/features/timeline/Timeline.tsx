/**
 * The virtualized event timeline. Rows are fetched by offset blocks from the engine; the scroll
 * space is scaled above a few million pixels so the last of a million events is reachable.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useTimelineRows, type TimelineRow } from './timeline-rows';
import { rowAtScroll, scrollForRow, scrollSpace } from './scaled-scroll';
import { shortTime } from '../../ui/format';
import { api, call } from '../../api/transport';
import { TypeChip } from '../../ui/TypeChip';

const ROW_H = 26;

export function Timeline() {
  const { storeId, runId, filter, selected, select, scrollRequest, showError } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, selected: s.selected, select: s.select, scrollRequest: s.scrollRequest, showError: s.showError })),
  );
  const { total, rows, grew } = useTimelineRows(storeId, runId, filter, showError);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setViewport] = useState(600);
  // The scroll math must use the height the browser lays out now: in a scaled scroll space a
  // stale height by a few pixels puts the view several rows off.
  const viewport = scroller.current?.clientHeight || measured;
  const [follow, setFollow] = useState(false);
  const n = total ?? 0;
  const totalRef = useRef(n);
  totalRef.current = n;
  const geometry = { total: n, rowHeight: ROW_H, viewport };
  const { first, shift } = rowAtScroll(geometry, scrollTop);
  const visible = rows(first, Math.ceil(viewport / ROW_H) + 2);

  // Publish the row count: other panels wait for the first page so they never delay it.
  useEffect(() => useApp.setState({ timelineTotal: total }), [total]);

  // When the viewport changes height, keep the same first row in view (in a scaled scroll space a
  // few pixels are many rows), and stay pinned to the end if the reader was there.
  const firstRef = useRef({ first: 0, atEnd: false, total: 0 });
  firstRef.current = { first, atEnd: n > 0 && first + Math.floor(viewport / ROW_H) >= n, total: n };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const h = el.clientHeight;
      const { first: keep, atEnd, total: rows } = firstRef.current;
      setViewport(h);
      const g = { total: rows, rowHeight: ROW_H, viewport: h };
      const top = atEnd ? scrollSpace(g) : scrollForRow(g, keep);
      el.scrollTop = top;
      setScrollTop(el.scrollTop);
    });
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Reset position when the run or filter changes.
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  }, [storeId, runId, filterKey]);

  // Live: another process appends; keep the user's place unless they follow the tail.
  useEffect(() => {
    if (!storeId || !runId) return;
    void call('watchRun', { storeId, runId, watch: true }).catch(() => {});
    const off = api.subscribe('runGrew', (p) => {
      if (p.storeId === storeId && p.runId === runId) grew();
    });
    return () => {
      off();
      void call('watchRun', { storeId, runId, watch: false }).catch(() => {});
    };
  }, [storeId, runId, grew]);

  useEffect(() => {
    if (follow && n > 0) scrollToRow(n - 1, 'end');
  }, [n, follow]);

  /** Scrolls so `row` is in view; reads the element itself, since callers may run after an await. */
  const scrollToRow = (row: number, align: 'start' | 'center' | 'end' | 'nearest' = 'nearest') => {
    const el = scroller.current;
    if (!el) return;
    const g = { total: totalRef.current, rowHeight: ROW_H, viewport: el.clientHeight };
    const rowsInView = Math.floor(g.viewport / ROW_H);
    const current = rowAtScroll(g, el.scrollTop).first;
    let top = row;
    if (align === 'center') top = row - Math.floor(rowsInView / 2);
    else if (align === 'end') top = row - rowsInView + 1;
    else if (align === 'nearest') {
      if (row >= current && row < current + rowsInView) return;
      top = row < current ? row : row - rowsInView + 1;
    }
    el.scrollTop = scrollForRow(g, Math.max(0, top));
    setScrollTop(el.scrollTop);
  };

  useEffect(() => {
    if (selected && scrollRequest > 0) scrollToRow(selected.offset, 'center');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest]);

  const selectOffset = async (offset: number) => {
    const clamped = Math.max(0, Math.min(n - 1, offset));
    const known = rows(clamped, 1)[0];
    if (known) select({ id: known.id, seq: known.seq, offset: clamped });
    else {
      const res = await call('timelineWindow', { storeId: storeId!, runId: runId!, filter: Object.keys(filter).length ? filter : undefined, offset: clamped, limit: 1 });
      const r = res.rows[0];
      if (r) select({ id: r.id, seq: r.seq, offset: clamped });
    }
    scrollToRow(clamped);
  };

  const onKey = (e: KeyboardEvent) => {
    if (n === 0) return;
    const cur = selected?.offset ?? -1;
    const page = Math.max(1, Math.floor(viewport / ROW_H) - 1);
    const moves: Record<string, number> = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + page, PageUp: cur - page, Home: 0, End: n - 1 };
    if (e.key in moves) {
      e.preventDefault();
      void selectOffset(moves[e.key]!);
    }
  };

  return (
    <div className="timeline">
      <div className="timeline-head">
        <span className="col seq">seq</span>
        <span className="col id">id</span>
        <span className="col type">type</span>
        <span className="col actor">actor</span>
        <span className="col frame">frame</span>
        <span className="col cause">caused_by</span>
        <span className="col time">time</span>
        <span className="col summary">summary</span>
        <label className="follow" title="Keep the newest event in view while the run is being written">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
      </div>
      <div
        className="timeline-body"
        ref={scroller}
        tabIndex={0}
        role="grid"
        aria-rowcount={n}
        aria-label="events"
        data-total={n}
        onKeyDown={onKey}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
      >
        <div style={{ height: scrollSpace(geometry), position: 'relative', overflow: 'hidden' }}>
          <div className="rows" style={{ transform: `translateY(${scrollTop - shift}px)` }}>
            {visible.map((r, i) => (
              <Row
                key={first + i}
                row={r}
                offset={first + i}
                selected={selected?.offset === first + i}
                onSelect={(row) => select({ id: row.id, seq: row.seq, offset: first + i })}
              />
            ))}
          </div>
        </div>
        {total === 0 && <div className="empty">{Object.keys(filter).length ? 'No events match the filter.' : 'This run has no events in its hot log.'}</div>}
      </div>
    </div>
  );
}

/** Whether a row shows the search's text (id, type, actor or summary; the engine also searched the full payload). */
const shows = (row: TimelineRow, q: string): boolean => {
  const needle = q.toLowerCase();
  return [row.id, row.type, row.actor ?? '', row.summary].some((s) => s.toLowerCase().includes(needle));
};

function Row({ row, offset, selected, onSelect }: { row: TimelineRow | undefined; offset: number; selected: boolean; onSelect: (r: TimelineRow) => void }) {
  const search = useApp((s) => s.search);
  if (!row) return <div className="row loading" style={{ height: ROW_H }} aria-rowindex={offset + 1} />;
  const match = search !== '' && shows(row, search);
  return (
    <div
      className={`row${selected ? ' selected' : ''}${row.failed ? ' failed' : ''}${row.corrupted ? ' corrupted' : ''}${match ? ' match' : ''}`}
      style={{ height: ROW_H }}
      role="row"
      aria-rowindex={offset + 1}
      aria-selected={selected}
      data-event-id={row.id}
      data-seq={row.seq}
      onClick={() => onSelect(row)}
    >
      <span className="col seq">{row.seq}</span>
      <span className="col id">{row.id}</span>
      <span className="col type">
        <TypeChip type={row.type} failed={row.failed} />
      </span>
      <span className="col actor">{row.actor ?? '—'}</span>
      <span className="col frame">{row.frame_id ?? '—'}</span>
      <span className="col cause">{row.caused_by ?? ''}</span>
      <span className="col time" title={row.timestamp}>
        {shortTime(row.timestamp)}
      </span>
      <span className="col summary" title={row.summary}>
        {row.corrupted && <span className="flag">corrupted</span>}
        {row.summary}
      </span>
    </div>
  );
}
