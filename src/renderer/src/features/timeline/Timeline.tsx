/**
 * The virtualized event timeline. Rows are fetched by offset blocks from the engine; the scroll
 * space is scaled above a few million pixels so the last of a million events is reachable.
 */
import { FlexRender, functionalUpdate, useTable } from '@tanstack/react-table';
import { useEffect, useLayoutEffect, useRef, useState, type Dispatch, type KeyboardEvent, type SetStateAction } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { useTimelineRows, type TimelineRow } from './timeline-rows';
import { rowAtScroll, scrollForRow, scrollSpace } from './scaled-scroll';
import { columnsToHide } from './fit-columns';
import { api } from '../../api/transport';
import { int } from '../../ui/format';
import { isPromoteDelta, moveColumn, TIMELINE_COLUMNS, timelineFeatures, useColumnLayout, type ColumnLayout, type Slot } from './timeline-columns';

const ROW_H = 26;

export function Timeline() {
  const {
    storeId,
    runId,
    filter,
    setFilter,
    selected,
    select,
    scrollRequest,
    showError,
    jumpTo,
    search,
    showWaterfall,
    setShowWaterfall,
    showArchived,
    setShowArchived,
    archivedCount,
  } = useApp(
    useShallow((s) => ({
      storeId: s.storeId,
      runId: s.runId,
      filter: s.filter,
      setFilter: s.setFilter,
      selected: s.selected,
      select: s.select,
      scrollRequest: s.scrollRequest,
      showError: s.showError,
      jumpTo: s.jumpTo,
      search: s.search,
      showWaterfall: s.showWaterfall,
      setShowWaterfall: s.setShowWaterfall,
      showArchived: s.showArchived,
      setShowArchived: s.setShowArchived,
      archivedCount: s.runs.find((r) => r.run_id === s.runId)?.archived_count ?? 0,
    })),
  );
  const { total, rows, grew, spanOf } = useTimelineRows(storeId, runId, filter, showArchived, showError);
  const runStart = useRunStart(storeId, runId);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setViewport] = useState(600);
  const [width, setWidth] = useState(0);
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
  const inView = Math.min(Math.ceil(viewport / ROW_H), Math.max(0, n - first));
  useEffect(() => useApp.setState({ timelineView: { first, count: inView } }), [first, inView]);

  // When the viewport changes height, keep the same first row in view (in a scaled scroll space a
  // few pixels are many rows), and stay pinned to the end if the reader was there.
  const firstRef = useRef({ first: 0, atEnd: false, total: 0 });
  firstRef.current = { first, atEnd: n > 0 && first + Math.floor(viewport / ROW_H) >= n, total: n };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth);
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
    setWidth(el.clientWidth);
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
    const unwatch = useApp.getState().watchRun({ storeId, runId });
    const off = api.subscribe('runGrew', (p) => {
      if (p.storeId === storeId && p.runId === runId) grew();
    });
    return () => (off(), unwatch());
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

  // A requested scroll waits until the rows it needs are counted: a timeline that mounts with a
  // selection (back from compare, a link into another store) shows it once its first page is in.
  const scrolledFor = useRef(0);
  useEffect(() => {
    if (!selected || scrollRequest === 0 || scrollRequest === scrolledFor.current || n <= selected.offset) return;
    scrolledFor.current = scrollRequest;
    scrollToRow(selected.offset, 'center');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- scrolls for a new request, or when the rows it needs arrive
  }, [scrollRequest, n]);

  const selectOffset = async (offset: number) => {
    const clamped = Math.max(0, Math.min(n - 1, offset));
    const known = rows(clamped, 1)[0];
    if (known) select({ id: known.id, seq: known.seq, offset: clamped });
    else await useApp.getState().selectOffset(clamped, false);
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

  const [layout, setLayout, resetLayout] = useColumnLayout();
  const goTo = (eventId: string) => {
    // A span's other end may be folded away in compact mode: show the whole log there.
    if (filter.compact) setFilter({ ...filter, compact: undefined });
    void jumpTo({ eventId }, undefined, true);
  };
  const slots: Slot[] = visible.map((row, i) => ({ offset: first + i, row, span: row ? spanOf(row.id) : undefined, runStart, goTo }));
  // Too narrow for every column at its minimum: some give way (not remembered) so the summary keeps its room.
  const minWidthOf = (c: { id: string; minSize?: number }) => (c.id === 'summary' ? 120 : (layout.sizing[c.id] ?? c.minSize ?? 36));
  const userVisible = TIMELINE_COLUMNS.filter((c) => layout.visibility[c.id!] !== false).map((c) => ({ id: c.id!, minWidth: minWidthOf({ id: c.id!, minSize: c.minSize }) }));
  const givenWay = width > 0 ? columnsToHide(userVisible, width, layout.visibility) : [];
  const visibility = { ...layout.visibility, ...Object.fromEntries(givenWay.map((id) => [id, false])) };
  const table = useTable({
    features: timelineFeatures,
    columns: TIMELINE_COLUMNS,
    data: slots,
    getRowId: (slot) => String(slot.offset),
    state: { columnSizing: layout.sizing, columnVisibility: visibility, columnOrder: layout.order },
    onColumnSizingChange: (u) => setLayout((l) => ({ ...l, sizing: functionalUpdate(u, l.sizing) })),
    // Only what the user changed is kept: a column that gave way to the width is not their choice.
    onColumnVisibilityChange: (u) =>
      setLayout((l) => {
        const next = functionalUpdate(u, visibility);
        const changed = Object.keys(next).filter((id) => next[id] !== visibility[id]);
        return { ...l, visibility: { ...l.visibility, ...Object.fromEntries(changed.map((id) => [id, next[id]!])) } };
      }),
    onColumnOrderChange: (u) => setLayout((l) => ({ ...l, order: functionalUpdate(u, l.order) })),
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
  });
  const columns = table.getVisibleLeafColumns();
  // A column the user sized is that wide; the others are as wide as their default while there is
  // room and give way down to their minimum when there is not; the summary takes what is left.
  const track = (c: (typeof columns)[number]) =>
    c.id === 'summary' ? 'minmax(120px, 1fr)' : layout.sizing[c.id] !== undefined ? `${c.getSize()}px` : `minmax(${c.columnDef.minSize ?? 36}px, ${c.getSize()}px)`;
  const grid = { gridTemplateColumns: columns.map(track).join(' ') };
  // Narrower than its columns' minimums, the table scrolls sideways (the head follows) rather than overlap the panel.
  const minWidth =
    columns.reduce((w, c) => w + (c.id === 'summary' ? 120 : layout.sizing[c.id] !== undefined ? c.getSize() : (c.columnDef.minSize ?? 36)), 0) + 6 * (columns.length - 1) + 20;
  const [scrollLeft, setScrollLeft] = useState(0);
  const [dragging, setDragging] = useState<string | null>(null);

  return (
    <div className="timeline">
      <div className="timeline-tools">
        {archivedCount > 0 && (
          <label title="The events a compaction moved to the archive tier (the filters apply to the hot log)">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> archived ({int(archivedCount)})
          </label>
        )}
        <label title="Spans on a time axis above the table">
          <input type="checkbox" checked={showWaterfall} onChange={(e) => setShowWaterfall(e.target.checked)} /> waterfall
        </label>
        <label title="Fold the events that end a span (completions, failures, responses) into the row that starts it, with its duration">
          <input type="checkbox" checked={Boolean(filter.compact)} onChange={(e) => setFilter({ ...filter, compact: e.target.checked || undefined })} /> compact
        </label>
        <label title="Keep the newest event in view while the run is being written">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <ColumnMenu table={table} layout={layout} setLayout={setLayout} reset={resetLayout} givenWay={givenWay} />
      </div>
      <div className="timeline-head-clip">
        <div className="timeline-head" style={{ ...grid, minWidth, transform: `translateX(${-scrollLeft}px)` }} role="row">
          {table.getHeaderGroups()[0]!.headers.map((h) => (
            <span
              key={h.id}
              className={`col ${h.column.id}${dragging && dragging !== h.column.id ? ' drop-target' : ''}`}
              role="columnheader"
              draggable
              onDragStart={(e) => (e.dataTransfer.setData('text/plain', h.column.id), setDragging(h.column.id))}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const moved = e.dataTransfer.getData('text/plain');
                if (moved && moved !== h.column.id) setLayout((l) => ({ ...l, order: moveColumn(l.order, moved, h.column.id) }));
                setDragging(null);
              }}
            >
              <FlexRender header={h} />
              {h.column.getCanResize() && (
                <span
                  className={`resizer${h.column.getIsResizing() ? ' resizing' : ''}`}
                  onMouseDown={h.getResizeHandler()}
                  onTouchStart={h.getResizeHandler()}
                  onDoubleClick={() => h.column.resetSize()}
                  role="separator"
                  aria-label={`resize ${String(h.column.columnDef.header)}`}
                />
              )}
            </span>
          ))}
        </div>
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
        onScroll={(e) => {
          const el = e.target as HTMLDivElement;
          setScrollTop(el.scrollTop);
          setScrollLeft(el.scrollLeft);
        }}
      >
        <div style={{ height: scrollSpace(geometry), position: 'relative', overflow: 'hidden', minWidth }}>
          <div className="rows" style={{ transform: `translateY(${scrollTop - shift}px)` }}>
            {table.getRowModel().rows.map((tr) => {
              const slot = tr.original;
              const r = slot.row;
              if (!r) return <div key={slot.offset} className="row loading" style={{ height: ROW_H }} aria-rowindex={slot.offset + 1} />;
              const isSelected = selected?.offset === slot.offset;
              const match = search !== '' && shows(r, search);
              // A failure event is red; the start of an execution that failed is marked too, apart from it.
              const spanFailed = !r.failed && slot.span?.status === 'failed' && slot.span.spanId === r.id;
              return (
                <div
                  key={slot.offset}
                  className={`row${isSelected ? ' selected' : ''}${r.failed ? ' failed' : ''}${spanFailed ? ' span-failed' : ''}${r.corrupted ? ' corrupted' : ''}${match ? ' match' : ''}${r.archivedAt ? ' archived' : ''}${isPromoteDelta(r) ? ' promote-block' : r.type === 'promote.applied' ? ' promote-marker' : ''}`}
                  style={{ height: ROW_H, ...grid }}
                  role="row"
                  aria-rowindex={slot.offset + 1}
                  aria-selected={isSelected}
                  data-event-id={r.id}
                  data-seq={r.seq}
                  onClick={() => select({ id: r.id, seq: r.seq, offset: slot.offset })}
                >
                  {tr.getVisibleCells().map((cell) => (
                    <span key={cell.column.id} className={`col ${cell.column.id}`} role="gridcell">
                      <FlexRender cell={cell} />
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
        {total === 0 && (
          <div className="empty">
            {showArchived ? 'This run has no archived events.' : Object.keys(filter).length ? 'No events match the filter.' : 'This run has no events in its hot log.'}
          </div>
        )}
      </div>
    </div>
  );
}

/** Show, hide and move columns; the layout is remembered. */
function ColumnMenu({
  table,
  layout,
  setLayout,
  reset,
  givenWay,
}: {
  table: ReturnType<typeof useTable<typeof timelineFeatures, Slot>>;
  layout: ColumnLayout;
  setLayout: Dispatch<SetStateAction<ColumnLayout>>;
  reset: () => void;
  /** Columns hidden for the width now (checking one shows it whatever the width). */
  givenWay: string[];
}) {
  const [open, setOpen] = useState(false);
  const move = (id: string, by: number) =>
    setLayout((l) => {
      const i = l.order.indexOf(id);
      const j = Math.max(0, Math.min(l.order.length - 1, i + by));
      const order = [...l.order];
      order.splice(i, 1);
      order.splice(j, 0, id);
      return { ...l, order };
    });
  return (
    <span className="column-menu">
      <button className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        columns
      </button>
      {open && (
        <div className="menu" role="dialog" aria-label="Timeline columns">
          {layout.order.map((id) => {
            const c = table.getColumn(id);
            if (!c) return null;
            return (
              <div key={id} className="menu-row">
                <label>
                  <input type="checkbox" checked={c.getIsVisible()} disabled={id === 'summary'} onChange={(e) => c.toggleVisibility(e.target.checked)} />{' '}
                  {String(c.columnDef.header)}
                  {givenWay.includes(id) && <span className="muted small"> (hidden to fit the width)</span>}
                </label>
                <button className="link" aria-label={`move ${String(c.columnDef.header)} left`} onClick={() => move(id, -1)}>
                  ←
                </button>
                <button className="link" aria-label={`move ${String(c.columnDef.header)} right`} onClick={() => move(id, 1)}>
                  →
                </button>
              </div>
            );
          })}
          <button className="link" onClick={reset}>
            reset columns
          </button>
        </div>
      )}
    </span>
  );
}

/** Whether a row shows the search's text (id, type, actor or summary; the engine also searched the full payload). */
const shows = (row: TimelineRow, q: string): boolean => {
  const needle = q.toLowerCase();
  return [row.id, row.type, row.actor ?? '', row.summary].some((s) => s.toLowerCase().includes(needle));
};

/** The timestamp of the run's first event: where the relative-time column counts from (if it cannot be read, the column stays empty; the rows say what failed). */
function useRunStart(storeId: string | null, runId: string | null): string | null {
  const first = useView('timeline.start', 'timelineWindow', storeId && runId ? { storeId, runId, offset: 0, limit: 1 } : null, { quiet: true });
  return first.data?.rows[0]?.timestamp ?? null;
}
