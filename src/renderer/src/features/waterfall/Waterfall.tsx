/**
 * The run as a waterfall: one bar per span on a time axis, a lane per behavior (its executions, then
 * the requests they made), coloured by family, failures red, unfinished ones hatched. Above it, an
 * overview of the whole run to brush a window from, with the part in view marked. Wheel or +/- zoom,
 * drag or ←/→ pan, 0 shows the whole run; a click on a bar selects its event (the other panels follow).
 * The engine sends only the bars at least a pixel wide and counts the rest per pixel.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { duration, familyHue, FAILURE_HUE, int } from '../../ui/format';
import { brushWindow, clampWindow, panWindow, zoomWindow, type TimeWindow } from './waterfall-view';

type SpanWindow = OpOutput<'spans'>;
type Bar = SpanWindow['bars'][number];

const LANE_H = 18;
const LABELS_W = 120;
const OVERVIEW_H = 34;
const AXIS_H = 16;

const hueOf = (b: Pick<Bar, 'kind' | 'status'>) => (b.status === 'failed' ? FAILURE_HUE : familyHue(`${b.kind}.`));

export function Waterfall() {
  const { storeId, runId, selectedId, jumpTo } = useApp(useShallow((s) => ({ storeId: s.storeId, runId: s.runId, selectedId: s.selected?.id, jumpTo: s.jumpTo })));
  const box = useRef<HTMLDivElement>(null);
  const overviewCanvas = useRef<HTMLCanvasElement>(null);
  const mainCanvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [view, setView] = useState<TimeWindow | null>(null);
  const [hover, setHover] = useState<{ bar: Bar; x: number; y: number } | null>(null);
  const [painted, setPainted] = useState(0);
  const [brush, setBrush] = useState<[number, number] | null>(null);
  const drag = useRef<{ x: number; view: TimeWindow } | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const plotW = Math.max(100, width - LABELS_W);

  // The whole run, once per run and width: the overview, and the first view.
  const { data: whole } = useView('spans.whole', 'spans', storeId && runId && width ? { storeId, runId, width: plotW } : null);
  const run: TimeWindow | null = whole?.runStart != null && whole.runEnd != null ? { from: whole.runStart, to: whole.runEnd } : null;
  useEffect(() => setView(whole && whole.runStart !== null && whole.runEnd !== null ? { from: whole.runStart, to: whole.runEnd } : null), [whole]);

  // The window in view, asked again as it moves (the last ask wins; a drag asks once it pauses).
  const [asked, setAsked] = useState<TimeWindow | null>(null);
  useEffect(() => {
    setHover(null);
    const t = setTimeout(() => setAsked(view), 30);
    return () => clearTimeout(t);
  }, [view]);
  const { data: detail } = useView('spans.window', 'spans', storeId && runId && asked && width ? { storeId, runId, width: plotW, from: asked.from, to: asked.to } : null, {
    keep: true,
  });

  const lanes = detail?.lanes ?? whole?.lanes ?? [];
  const mainH = AXIS_H + Math.max(1, lanes.length) * LANE_H;

  // Overview: every span of the run in two rows (executions, requests), the view marked.
  useEffect(() => {
    const c = overviewCanvas.current;
    if (!c || !whole || !run) return;
    const ctx = setup(c, width, OVERVIEW_H);
    const x = (t: number) => LABELS_W + ((t - run.from) / Math.max(1, run.to - run.from)) * plotW;
    ctx.fillStyle = 'rgba(127,127,127,0.08)';
    ctx.fillRect(LABELS_W, 0, plotW, OVERVIEW_H);
    const rowOf = (depth: number) => (depth === 0 ? 4 : 4 + (OVERVIEW_H - 8) / 2);
    const rowH = (OVERVIEW_H - 8) / 2 - 1;
    for (const b of whole.bars) {
      ctx.fillStyle = `hsl(${hueOf(b)} 60% 55%)`;
      ctx.fillRect(x(b.start), rowOf(b.depth), Math.max(1, x(b.end) - x(b.start)), rowH);
    }
    for (const [lane, col, n, failed] of whole.dense) {
      const depth = whole.lanes[lane]?.depth ?? 0;
      ctx.fillStyle = failed ? `hsl(${FAILURE_HUE} 70% 50%)` : `hsla(220, 50%, 50%, ${Math.min(1, 0.25 + n / 20)})`;
      ctx.fillRect(LABELS_W + col, rowOf(depth), 1, rowH);
    }
    ctx.fillStyle = 'rgba(127,127,127,0.9)';
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText('whole run', 6, 14);
    ctx.fillText(`${int(whole.totalSpans)} spans`, 6, 27);
    const shown = brush ? brushWindow(brush[0], brush[1], run) : view;
    if (shown) {
      ctx.strokeStyle = 'hsl(210 90% 50%)';
      ctx.lineWidth = 2;
      ctx.fillStyle = 'hsla(210, 90%, 50%, 0.12)';
      const x0 = x(shown.from);
      const w = Math.max(2, x(shown.to) - x0);
      ctx.fillRect(x0, 1, w, OVERVIEW_H - 2);
      ctx.strokeRect(x0, 1, w, OVERVIEW_H - 2);
    }
  }, [whole, view, brush, width, plotW, run?.from, run?.to]); // eslint-disable-line react-hooks/exhaustive-deps -- run is derived from whole

  // The window in view: lanes, axis, bars, and the rest counted per pixel.
  useEffect(() => {
    const c = mainCanvas.current;
    if (!c || !detail) return;
    const ctx = setup(c, width, mainH);
    const span = Math.max(1, detail.to - detail.from);
    const x = (t: number) => LABELS_W + ((t - detail.from) / span) * plotW;
    ctx.font = '10px system-ui, sans-serif';
    detail.lanes.forEach((l, i) => {
      const y = AXIS_H + i * LANE_H;
      if (i % 2 === 0) {
        ctx.fillStyle = 'rgba(127,127,127,0.06)';
        ctx.fillRect(0, y, width, LANE_H);
      }
      ctx.fillStyle = 'rgba(127,127,127,0.95)';
      // Active Graph: a behavior, then the requests it made; nested components (Graphite) step in per depth.
      ctx.fillText(l.depth === 0 ? l.behavior : `${' '.repeat(2 * l.depth)}↳ within`, 6, y + 12, LABELS_W - 10);
    });
    // Axis: a tick about every 100 px, labelled from the run's start.
    const t0 = run?.from ?? detail.from;
    const step = niceStep(span / Math.max(1, plotW / 100));
    ctx.fillStyle = 'rgba(127,127,127,0.9)';
    for (let t = Math.ceil((detail.from - t0) / step) * step + t0; t <= detail.to; t += step) {
      const px = x(t);
      ctx.fillRect(px, AXIS_H - 4, 1, mainH);
      ctx.fillText(`+${duration(t - t0)}`, px + 2, 10);
    }
    // Bars that start before the window or end after it are cut at the plot's edges.
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABELS_W, 0, plotW, mainH);
    ctx.clip();
    for (const b of detail.bars) {
      const y = AXIS_H + b.lane * LANE_H + 3;
      const x0 = x(b.start);
      const w = Math.max(1, x(b.end) - x0);
      ctx.fillStyle = `hsl(${hueOf(b)} 60% ${b.status === 'open' ? 75 : 55}%)`;
      ctx.fillRect(x0, y, w, LANE_H - 6);
      if (b.status === 'open') hatch(ctx, x0, y, w, LANE_H - 6);
      if (b.id === selectedId) {
        ctx.strokeStyle = 'hsl(210 90% 45%)';
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 - 1, y - 1, w + 2, LANE_H - 4);
      }
      if (w > 40) {
        ctx.fillStyle = 'rgba(0,0,0,0.75)';
        ctx.fillText(b.kind === 'behavior' ? b.name : `${b.kind} ${b.name}`, x0 + 3, y + 9, w - 6);
      }
    }
    for (const [lane, col, n, failed] of detail.dense) {
      ctx.fillStyle = failed ? `hsl(${FAILURE_HUE} 70% 50%)` : `hsla(220, 50%, 45%, ${Math.min(1, 0.3 + n / 10)})`;
      ctx.fillRect(LABELS_W + col, AXIS_H + lane * LANE_H + 3, 1, LANE_H - 6);
    }
    ctx.restore();
    setPainted((p) => p + 1);
  }, [detail, width, plotW, mainH, selectedId, run?.from]);

  const barAt = (e: ReactMouseEvent<HTMLCanvasElement>): Bar | null => {
    if (!detail) return null;
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    const lane = Math.floor((e.clientY - r.top - AXIS_H) / LANE_H);
    const t = detail.from + ((px - LABELS_W) / plotW) * (detail.to - detail.from);
    const slack = (2 * (detail.to - detail.from)) / plotW;
    return detail.bars.find((b) => b.lane === lane && b.start - slack <= t && t <= b.end + slack) ?? null;
  };

  const at = (e: { clientX: number; currentTarget: HTMLElement }) => {
    const r = e.currentTarget.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - r.left - LABELS_W) / plotW));
  };

  const onKey = (e: KeyboardEvent) => {
    if (!run || !view) return;
    const moves: Record<string, () => TimeWindow> = {
      '+': () => zoomWindow(view, 0.5, 0.5, run),
      '=': () => zoomWindow(view, 0.5, 0.5, run),
      '-': () => zoomWindow(view, 2, 0.5, run),
      ArrowLeft: () => panWindow(view, -0.25, run),
      ArrowRight: () => panWindow(view, 0.25, run),
      '0': () => run,
    };
    if (e.key in moves) {
      e.preventDefault();
      e.stopPropagation(); // the timeline's keys are not the waterfall's
      setView(moves[e.key]!());
    }
  };

  const failedShare = whole ? whole.bars.filter((b) => b.status === 'failed').length + whole.dense.reduce((n, d) => n + d[3], 0) : 0;
  return (
    <div className="waterfall" ref={box} data-testid="waterfall" data-painted={painted} tabIndex={0} onKeyDown={onKey} aria-label="waterfall: +/- zoom, arrows pan, 0 whole run">
      {!whole && <div className="muted small waterfall-wait">Reading the run’s spans…</div>}
      {whole && !run && <div className="muted small waterfall-wait">No spans with timestamps in this run.</div>}
      <canvas
        ref={overviewCanvas}
        className="waterfall-overview"
        aria-label="whole run: drag to choose the window"
        onMouseDown={(e) => {
          const a = at(e);
          setBrush([a, a]);
        }}
        onMouseMove={(e) => brush && setBrush([brush[0], at(e)])}
        onMouseUp={(e) => {
          if (!brush || !run) return;
          const b = at(e);
          // A click (no drag) centres the current window there.
          if (Math.abs(b - brush[0]) < 0.003 && view) {
            const half = (view.to - view.from) / 2;
            const mid = run.from + b * (run.to - run.from);
            setView(clampWindow({ from: mid - half, to: mid + half }, run));
          } else setView(brushWindow(brush[0], b, run));
          setBrush(null);
        }}
        onMouseLeave={() => setBrush(null)}
      />
      <canvas
        ref={mainCanvas}
        className="waterfall-main"
        aria-label="spans in view"
        onWheel={(e) => run && view && setView(zoomWindow(view, e.deltaY > 0 ? 1.25 : 0.8, at(e), run))}
        onMouseDown={(e) => view && (drag.current = { x: e.clientX, view })}
        onMouseMove={(e) => {
          const d = drag.current;
          if (d && run && Math.abs(e.clientX - d.x) > 3) {
            setView(panWindow(d.view, -(e.clientX - d.x) / plotW, run));
            setHover(null);
            return;
          }
          const bar = barAt(e);
          setHover(bar ? { bar, x: e.nativeEvent.offsetX, y: e.nativeEvent.offsetY } : null);
        }}
        onMouseUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d && Math.abs(e.clientX - d.x) > 3) return;
          const bar = barAt(e);
          if (bar) void jumpTo({ eventId: bar.id }, undefined, true);
        }}
        onMouseLeave={() => ((drag.current = null), setHover(null))}
      />
      {hover && (
        <div className="waterfall-tip" style={{ left: Math.min(hover.x + 12, width - 220), top: OVERVIEW_H + hover.y + 12 }}>
          <b>{hover.bar.kind === 'behavior' ? hover.bar.name : `${hover.bar.kind}: ${hover.bar.name}`}</b> ·{' '}
          {hover.bar.status === 'open' ? 'not finished' : duration(hover.bar.end - hover.bar.start)}
          {hover.bar.status === 'failed' && <span className="warn"> · failed</span>}
          <div className="muted">starts at {hover.bar.id}</div>
        </div>
      )}
      {whole && (
        <div className="muted small waterfall-legend">
          {(['behavior', 'llm', 'tool', 'embedding'] as const).map((k) => (
            <span key={k}>
              <span className="sw" style={{ background: `hsl(${familyHue(`${k}.`)} 60% 55%)` }} /> {k}
            </span>
          ))}
          <span>
            <span className="sw" style={{ background: `hsl(${FAILURE_HUE} 60% 55%)` }} /> failed ({int(failedShare)})
          </span>
          <span>wheel or +/- zoom · drag or ←/→ pan · 0 whole run · drag on the overview to choose a window</span>
        </div>
      )}
    </div>
  );
}

/** Sizes a canvas for the device's pixel ratio and returns its cleared context. */
function setup(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const dpr = globalThis.devicePixelRatio || 1;
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  c.style.width = `${w}px`;
  c.style.height = `${h}px`;
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = 'rgba(255,255,255,0.7)';
  ctx.lineWidth = 1;
  for (let i = -h; i < w; i += 6) {
    ctx.beginPath();
    ctx.moveTo(x + i, y + h);
    ctx.lineTo(x + i + h, y);
    ctx.stroke();
  }
  ctx.restore();
}

/** A round step (1, 2 or 5 × a power of ten ms) near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}
