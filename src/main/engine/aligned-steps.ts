/**
 * What each of many runs did after its fork point, aligned by behavior: the k-th execution of a
 * behavior in one run's own part stands beside the k-th execution of the same behavior in the
 * others', so one reads down the rows to see where the forks went different ways (a step one run
 * has and another lacks, one that failed here and succeeded there).
 */
import { BEFORE_FIRST_SEQ, type EventStore } from '../store/event-store.js';
import { restSpans, type Span, type SpanIndex } from './spans.js';

export interface Step {
  /** The event that started the execution, and the one that ended it (null while open). */
  event_id: string;
  seq: number;
  end_event_id: string | null;
  status: Span['status'];
  duration_ms: number | null;
  /** LLM, tool and embedding requests it made, and how many of them failed. */
  requests: number;
  failed_requests: number;
}

export interface AlignedRow {
  behavior: string;
  /** Which execution of the behavior in each run's own part (1 for the first). */
  nth: number;
  /** One per run, in the runs' order; null where the run has no such execution. */
  steps: (Step | null)[];
}

/** A run's behavior executions that started after `afterSeq`, in order, with their requests counted. */
export function stepsAfter(index: SpanIndex, afterSeq: number): (Step & { behavior: string })[] {
  const spans = index.spans;
  const requests = new Map<number, { n: number; failed: number }>();
  for (const s of spans) {
    if (s.kind === 'behavior' || s.parent < 0) continue;
    let top = s.parent;
    while (spans[top]!.parent >= 0) top = spans[top]!.parent;
    const r = requests.get(top) ?? { n: 0, failed: 0 };
    r.n++;
    if (s.status === 'failed') r.failed++;
    requests.set(top, r);
  }
  const out: (Step & { behavior: string })[] = [];
  spans.forEach((s, i) => {
    if (s.kind !== 'behavior' || s.depth !== 0 || s.seq <= afterSeq) return;
    const r = requests.get(i);
    out.push({
      behavior: s.name,
      event_id: s.id,
      seq: s.seq,
      end_event_id: s.endId,
      status: s.status,
      duration_ms: s.start !== null && s.end !== null ? s.end - s.start : null,
      requests: r?.n ?? 0,
      failed_requests: r?.failed ?? 0,
    });
  });
  return out;
}

/** The runs' steps side by side: a row per (behavior, k-th execution), in the order the rows first occur in any run. */
export function alignSteps(runs: (Step & { behavior: string })[][]): AlignedRow[] {
  const rows = new Map<string, AlignedRow & { first: number }>();
  runs.forEach((steps, r) => {
    const seen = new Map<string, number>();
    steps.forEach(({ behavior, ...step }, position) => {
      const nth = (seen.get(behavior) ?? 0) + 1;
      seen.set(behavior, nth);
      const key = `${behavior}\u0000${nth}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { behavior, nth, steps: runs.map(() => null), first: position }));
      row.steps[r] = step;
      row.first = Math.min(row.first, position);
    });
  });
  return [...rows.values()]
    .sort((a, b) => a.first - b.first || (a.behavior < b.behavior ? -1 : a.behavior > b.behavior ? 1 : a.nth - b.nth))
    .map(({ behavior, nth, steps }) => ({ behavior, nth, steps }));
}

/** What each run did after its fork point (a fork's own part; a parent's after its earliest fork's among these), aligned. */
export async function runsAlignedSteps(
  store: EventStore,
  runIds: string[],
  spansOf: (runId: string) => Promise<SpanIndex>,
  signal: AbortSignal,
): Promise<{ after: (number | null)[]; rows: AlignedRow[] }> {
  const runs = await Promise.all(runIds.map(async (id) => (await store.getRun(id))!));
  const after = await Promise.all(runs.map(async (r) => (r.forked_at_event_id ? ((await store.getEvent(r.run_id, r.forked_at_event_id))?.seq ?? null) : null)));
  for (const [i, r] of runs.entries()) {
    if (after[i] !== null) continue;
    const points = await Promise.all(runs.filter((f) => f.parent_run_id === r.run_id && f.forked_at_event_id).map((f) => store.getEvent(r.run_id, f.forked_at_event_id!)));
    const seqs = points.flatMap((p) => (p ? [p.seq] : []));
    after[i] = seqs.length ? Math.min(...seqs) : null;
  }
  const steps = [];
  for (const [i, runId] of runIds.entries()) {
    // A fork's own part alone is read; a parent's spans are the ones its views keep.
    const index = runs[i]!.forked_at_event_id && after[i] !== null ? await restSpans(store, runId, after[i]!, signal) : await spansOf(runId);
    steps.push(stepsAfter(index, after[i] ?? BEFORE_FIRST_SEQ));
  }
  return { after, rows: alignSteps(steps) };
}
