/** The waterfall's time window: zoom about a point, pan, clamp to the run. Pure, so it is tested alone. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** The shortest window worth drawing (Active Graph stamps events to the second or finer). */
const MIN_SPAN_MS = 50;

export function clampWindow(w: TimeWindow, run: TimeWindow): TimeWindow {
  const runSpan = Math.max(run.to - run.from, MIN_SPAN_MS);
  const span = Math.min(Math.max(w.to - w.from, MIN_SPAN_MS), runSpan);
  const from = Math.min(Math.max(w.from, run.from), run.from + runSpan - span);
  return { from, to: from + span };
}

/** Zooms by `factor` (<1 in, >1 out) keeping the time under `at` (0..1 across the view) in place. */
export function zoomWindow(w: TimeWindow, factor: number, at: number, run: TimeWindow): TimeWindow {
  const span = w.to - w.from;
  const pivot = w.from + span * at;
  const next = span * factor;
  return clampWindow({ from: pivot - next * at, to: pivot - next * at + next }, run);
}

/** Pans by a share of the view (negative: earlier). */
export function panWindow(w: TimeWindow, share: number, run: TimeWindow): TimeWindow {
  const d = (w.to - w.from) * share;
  return clampWindow({ from: w.from + d, to: w.to + d }, run);
}

/** The window a brush drawn from `a` to `b` (0..1 across the overview) selects. */
export function brushWindow(a: number, b: number, run: TimeWindow): TimeWindow {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const span = run.to - run.from;
  return clampWindow({ from: run.from + lo * span, to: run.from + hi * span }, run);
}
