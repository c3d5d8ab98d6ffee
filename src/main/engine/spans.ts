/**
 * Spans from the log alone: a behavior's `*.started` paired with its `behavior.completed`/`failed`
 * (by behavior and trigger event), and each `llm`/`tool`/`embedding` request with the response
 * that names it as its cause, nested under the open execution of the behavior that made it. An
 * unfinished span (a live or crashed run) stays open. The same pass rolls up what the run cost.
 * Built incrementally, so a live run only adds its new events.
 */
import { BEFORE_FIRST_SEQ, SPAN_END_TYPES, scanEvents, type EventStore, type StoredEvent } from '../store/event-store.js';
import { DecimalSum } from '../base/decimal-sum.js';
import { pyLoadsFast } from '../base/pyjson.js';

export type SpanKind = 'behavior' | 'llm' | 'tool' | 'embedding';
export type SpanStatus = 'ok' | 'failed' | 'open';

export interface Span {
  /** The start event. */
  id: string;
  seq: number;
  kind: SpanKind;
  /** The behavior, the model, the tool. */
  name: string;
  /** The behavior that made a request (a behavior span's own name). */
  behavior: string;
  start: number | null;
  end: number | null;
  endId: string | null;
  status: SpanStatus;
  /** Index of the enclosing span in `spans`, -1 at the top. */
  parent: number;
  depth: number;
}

/** What a run or one behavior cost, from its events (not Active Graph's budget, which is not a log). */
export interface CostTotals {
  invocations: number;
  failures: number;
  /** LLM calls as Active Graph's budget counts them: the first turn of each turn loop (no retries). */
  llmCalls: number;
  /** Every `llm.requested`: later turns and retries too. */
  llmRequests: number;
  llmFailures: number;
  tokensIn: number;
  tokensOut: number;
  /** Exact decimal sum of the LLM and tool `cost_usd` strings. */
  costUsd: string;
  toolCalls: number;
  toolFailures: number;
  embeddingCalls: number;
  /** Wall time of the behavior's executions (start to end event), in ms; null without one finished. */
  durationP50Ms: number | null;
  durationP95Ms: number | null;
  /** The provider's `latency_seconds` of LLM responses, in ms. */
  llmLatencyP50Ms: number | null;
  llmLatencyP95Ms: number | null;
}

class Totals {
  invocations = 0;
  failures = 0;
  llmCalls = 0;
  llmRequests = 0;
  llmFailures = 0;
  tokensIn = 0;
  tokensOut = 0;
  cost = new DecimalSum();
  toolCalls = 0;
  toolFailures = 0;
  embeddingCalls = 0;
  durations: number[] = [];
  llmLatencies: number[] = [];

  view(): CostTotals {
    return {
      invocations: this.invocations,
      failures: this.failures,
      llmCalls: this.llmCalls,
      llmRequests: this.llmRequests,
      llmFailures: this.llmFailures,
      tokensIn: this.tokensIn,
      tokensOut: this.tokensOut,
      costUsd: this.cost.toString(),
      toolCalls: this.toolCalls,
      toolFailures: this.toolFailures,
      embeddingCalls: this.embeddingCalls,
      durationP50Ms: percentile(this.durations, 0.5),
      durationP95Ms: percentile(this.durations, 0.95),
      llmLatencyP50Ms: percentile(this.llmLatencies, 0.5),
      llmLatencyP95Ms: percentile(this.llmLatencies, 0.95),
    };
  }
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const REQUESTS: Record<string, SpanKind> = { 'llm.requested': 'llm', 'tool.requested': 'tool', 'embedding.requested': 'embedding' };
const RESPONSES = new Set(SPAN_END_TYPES.filter((t) => !t.startsWith('behavior.')));
const BEHAVIOR_STARTS = new Set(['behavior.started', 'relation_behavior.started']);
const BEHAVIOR_ENDS = new Set(SPAN_END_TYPES.filter((t) => t.startsWith('behavior.')));
const needsPayload = (type: string) => type in REQUESTS || RESPONSES.has(type) || BEHAVIOR_STARTS.has(type) || BEHAVIOR_ENDS.has(type);
/** Other runtimes' spans as their adapters normalise them (Graphite): `<component>.invoke` ends with `.respond`/`.failed`, which name it as their cause. */
const COMPONENT_SPAN = /^(assistant|workflow|node|tool)\.(invoke|respond|failed)$/;
/** Other runtimes' steps that record their own duration in one event (NeuroCore's `step.<status>` with `duration_ms`). */
const RECORDED_SPAN = /^step\.([a-z_]+)$/;

export class SpanIndex {
  readonly spans: Span[] = [];
  private readonly byStartId = new Map<string, number>();
  private readonly byEndId = new Map<string, number>();
  /** Open behavior executions by behavior and trigger event. */
  private readonly openExecutions = new Map<string, number[]>();
  /** Open behavior executions by behavior, innermost last: where a request nests. */
  private readonly openByBehavior = new Map<string, number[]>();
  /** Open requests by their start event id (a response names it as its cause). */
  private readonly openRequests = new Map<string, number>();
  private readonly run = new Totals();
  private readonly perBehavior = new Map<string, Totals>();
  lastSeq = Number.NEGATIVE_INFINITY;
  firstTime: number | null = null;
  lastTime: number | null = null;
  /** Whether costs are being counted: a fork counts from its fork point, as Active Graph's budget does (the copied prefix was not run again). */
  private counting: boolean;
  /** Events a cost roll-up may miss: their payload could not be read. */
  private unreadable = 0;

  constructor(private readonly forkedAtEventId: string | null = null) {
    this.counting = forkedAtEventId === null;
  }

  add(e: StoredEvent): void {
    this.lastSeq = e.seq;
    this.record(e);
    if (!this.counting && e.id === this.forkedAtEventId) this.counting = true;
  }

  private record(e: StoredEvent): void {
    const t = Date.parse(e.timestamp ?? '');
    const time = Number.isNaN(t) ? null : t;
    if (time !== null) {
      this.firstTime ??= time;
      this.lastTime = Math.max(this.lastTime ?? time, time);
    }
    const component = COMPONENT_SPAN.exec(e.type);
    if (component) return this.componentSpan(e, time, component[1]!, component[2]!);
    const recorded = RECORDED_SPAN.exec(e.type);
    if (recorded) return this.recordedSpan(e, time, recorded[1]!);
    if (!needsPayload(e.type)) return;
    let p: Record<string, unknown>;
    try {
      const decoded = pyLoadsFast(e.payload);
      p = decoded && typeof decoded === 'object' ? (decoded as Record<string, unknown>) : {};
    } catch {
      if (this.counting) this.unreadable++;
      return; // a corrupted payload is flagged by the timeline; it pairs with nothing
    }
    const behavior = typeof p.behavior === 'string' ? p.behavior : (e.actor ?? '');
    if (BEHAVIOR_STARTS.has(e.type)) this.startBehavior(e, time, behavior, String(p.event_id ?? e.caused_by ?? ''));
    else if (BEHAVIOR_ENDS.has(e.type)) this.endBehavior(e, time, behavior, String(p.event_id ?? e.caused_by ?? ''));
    else if (e.type in REQUESTS) this.startRequest(e, time, REQUESTS[e.type]!, behavior, p);
    else this.endRequest(e, time, behavior, p);
  }

  private totalsOf(behavior: string): Totals[] {
    if (!this.counting) return [];
    let b = this.perBehavior.get(behavior);
    if (!b) this.perBehavior.set(behavior, (b = new Totals()));
    return [this.run, b];
  }

  private open(e: StoredEvent, time: number | null, kind: SpanKind, name: string, behavior: string, parent: number): number {
    const i = this.spans.length;
    const depth = parent < 0 ? 0 : this.spans[parent]!.depth + 1;
    this.spans.push({ id: e.id, seq: e.seq, kind, name, behavior, start: time, end: null, endId: null, status: 'open', parent, depth });
    this.byStartId.set(e.id, i);
    return i;
  }

  private close(i: number, e: StoredEvent, time: number | null, failed: boolean): Span {
    const s = this.spans[i]!;
    s.end = time;
    s.endId = e.id;
    s.status = failed ? 'failed' : 'ok';
    this.byEndId.set(e.id, i);
    return s;
  }

  private startBehavior(e: StoredEvent, time: number | null, behavior: string, trigger: string): void {
    const i = this.open(e, time, 'behavior', behavior, behavior, -1);
    push(this.openExecutions, `${behavior}\u0000${trigger}`, i);
    push(this.openByBehavior, behavior, i);
    for (const t of this.totalsOf(behavior)) t.invocations++;
  }

  private endBehavior(e: StoredEvent, time: number | null, behavior: string, trigger: string): void {
    const failed = e.type === 'behavior.failed';
    const totals = this.totalsOf(behavior);
    if (failed) for (const t of totals) t.failures++;
    const i = shift(this.openExecutions, `${behavior}\u0000${trigger}`);
    if (i === undefined) return;
    remove(this.openByBehavior, behavior, i);
    const s = this.close(i, e, time, failed);
    if (s.start !== null && s.end !== null) for (const t of totals) t.durations.push(s.end - s.start);
  }

  private startRequest(e: StoredEvent, time: number | null, kind: SpanKind, behavior: string, p: Record<string, unknown>): void {
    const within = this.openByBehavior.get(behavior);
    const name = String((kind === 'tool' ? p.tool : p.model) ?? behavior);
    this.openRequests.set(e.id, this.open(e, time, kind, name, behavior, within?.length ? within[within.length - 1]! : -1));
    const totals = this.totalsOf(behavior);
    if (kind === 'llm') {
      const firstTurn = !p.turn_index && !p.attempt_index && p.retry_of == null;
      for (const t of totals) {
        t.llmRequests++;
        if (firstTurn) t.llmCalls++;
      }
    } else if (kind === 'tool') for (const t of totals) t.toolCalls++;
    else for (const t of totals) t.embeddingCalls++;
  }

  private endRequest(e: StoredEvent, time: number | null, behavior: string, p: Record<string, unknown>): void {
    const failed = p.error != null;
    const totals = this.totalsOf(behavior);
    for (const t of totals) {
      if (e.type !== 'embedding.responded') t.cost.add(p.cost_usd);
      if (e.type === 'llm.responded') {
        if (failed) t.llmFailures++;
        if (typeof p.input_tokens === 'number') t.tokensIn += p.input_tokens;
        if (typeof p.output_tokens === 'number') t.tokensOut += p.output_tokens;
        if (typeof p.latency_seconds === 'number' && !p.cache_hit) t.llmLatencies.push(p.latency_seconds * 1000);
      } else if (e.type === 'tool.responded' && failed) t.toolFailures++;
    }
    const i = e.caused_by !== null ? this.openRequests.get(e.caused_by) : undefined;
    if (i === undefined) return;
    this.openRequests.delete(e.caused_by!);
    this.close(i, e, time, failed);
  }

  /** A foreign runtime's nested component: its invoke opens inside the span that caused it; its respond or failure closes it. No costs: those are Active Graph's. */
  private componentSpan(e: StoredEvent, time: number | null, family: string, phase: string): void {
    if (phase === 'invoke') {
      const parent = e.caused_by !== null ? (this.byStartId.get(e.caused_by) ?? -1) : -1;
      const name = e.actor ?? family;
      const lane = parent >= 0 ? this.spans[parent]!.behavior : name;
      this.openRequests.set(e.id, this.open(e, time, family === 'tool' ? 'tool' : 'behavior', name, lane, parent));
      return;
    }
    const i = e.caused_by !== null ? this.openRequests.get(e.caused_by) : undefined;
    if (i === undefined) return;
    this.openRequests.delete(e.caused_by!);
    this.close(i, e, time, phase === 'failed');
  }

  /** A step whose one event holds its start and recorded duration: a span that starts and ends with it. */
  private recordedSpan(e: StoredEvent, time: number | null, status: string): void {
    let ms: unknown;
    try {
      ms = (pyLoadsFast(e.payload) as { duration_ms?: unknown } | null)?.duration_ms;
    } catch {
      return;
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || time === null) return;
    const name = e.actor ?? 'step';
    const s = this.close(this.open(e, time, 'behavior', name, name, -1), e, time + ms, status === 'failed');
    this.lastTime = Math.max(this.lastTime ?? s.end!, s.end!);
  }

  /** The span an event starts or ends. */
  spanOf(eventId: string): Span | undefined {
    const i = this.byStartId.get(eventId) ?? this.byEndId.get(eventId);
    return i === undefined ? undefined : this.spans[i];
  }

  costs(): { run: CostTotals; behaviors: (CostTotals & { behavior: string })[]; unreadableEvents: number; countedFrom: string | null } {
    return {
      unreadableEvents: this.unreadable,
      countedFrom: this.forkedAtEventId,
      run: this.run.view(),
      behaviors: [...this.perBehavior.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([behavior, t]) => ({ behavior, ...t.view() })),
    };
  }
}

function push(m: Map<string, number[]>, key: string, i: number): void {
  const list = m.get(key);
  if (list) list.push(i);
  else m.set(key, [i]);
}

function shift(m: Map<string, number[]>, key: string): number | undefined {
  const list = m.get(key);
  const i = list?.shift();
  if (list?.length === 0) m.delete(key);
  return i;
}

function remove(m: Map<string, number[]>, key: string, i: number): void {
  const list = m.get(key);
  if (!list) return;
  const k = list.lastIndexOf(i);
  if (k >= 0) list.splice(k, 1);
  if (list.length === 0) m.delete(key);
}

/** A run's spans, read once and then extended by what a live writer appends; reads run one at a time. */
export class RunSpans {
  private index: SpanIndex | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly runId: string,
  ) {}

  /** Heap kept, estimated from the spans (measured: ~310 bytes a span with its maps on the generator's runs). */
  approxBytes(): number {
    return 1024 + (this.index?.spans.length ?? 0) * 310;
  }

  /** Brings the spans up to the end of the log; a cancelled read leaves them consistent, to go on next time. */
  refresh(signal?: AbortSignal): Promise<SpanIndex> {
    const next = this.queue.then(() => this.extend(signal));
    this.queue = next.catch(() => {});
    return next;
  }

  private async extend(signal?: AbortSignal): Promise<SpanIndex> {
    if (!this.index) {
      const run = await this.store.getRun(this.runId);
      this.index = new SpanIndex(run?.forked_at_event_id ?? null);
    }
    const index = this.index;
    const after = index.lastSeq === Number.NEGATIVE_INFINITY ? BEFORE_FIRST_SEQ : index.lastSeq;
    // Small chunks: the host answers the window's other requests between them while a big run is read.
    for await (const chunk of scanEvents(this.store, this.runId, { afterSeq: after, chunk: 2000, signal })) for (const e of chunk) index.add(e);
    return index;
  }
}

/**
 * What a fork's own events cost, read from its fork point on: the roll-up a fork counts (see
 * SpanIndex) without reading the prefix it copied. (Executions that began before the fork point
 * have no duration here; the totals are the same.)
 */
export async function costsAfter(store: EventStore, runId: string, afterSeq: number, signal?: AbortSignal): Promise<CostTotals> {
  return (await restSpans(store, runId, afterSeq, signal)).costs().run;
}

/** The spans of a run's events after `afterSeq` alone (a fork's own part). */
export async function restSpans(store: EventStore, runId: string, afterSeq: number, signal?: AbortSignal): Promise<SpanIndex> {
  const index = new SpanIndex();
  for await (const chunk of scanEvents(store, runId, { afterSeq, chunk: 2000, signal })) for (const e of chunk) index.add(e);
  return index;
}

/** A waterfall lane: one behavior's executions (depth 0) or the requests they made (depth 1+). */
export interface Lane {
  behavior: string;
  depth: number;
}

export interface SpanWindow {
  runStart: number | null;
  runEnd: number | null;
  from: number;
  to: number;
  lanes: Lane[];
  /** Spans at least a pixel wide in the window (the longest, when there are too many to draw). */
  bars: (Pick<Span, 'id' | 'seq' | 'kind' | 'name' | 'status' | 'depth'> & { start: number; end: number; lane: number })[];
  /** Everything narrower, counted per lane and pixel column: [lane, column, spans, failed]. */
  dense: [number, number, number, number][];
  totalSpans: number;
}

const MAX_BARS = 4000;

/**
 * What the waterfall draws for a time window `width` pixels wide: the bars wide enough to see and,
 * for the rest, how many spans (and failures) fall in each pixel of each lane. An open span runs to
 * the end of the log. Lanes are per behavior and depth, in order of first appearance.
 */
export function spanWindow(index: SpanIndex, width: number, from?: number, to?: number): SpanWindow {
  const runStart = index.firstTime;
  const runEnd = index.lastTime;
  const lo = from ?? runStart ?? 0;
  const hi = Math.max(to ?? runEnd ?? lo, lo + 1);
  const laneOf = new Map<string, number>();
  const lanes: Lane[] = [];
  const pxMs = (hi - lo) / width;
  const wide: SpanWindow['bars'] = [];
  const dense = new Map<number, [number, number, number, number]>();
  const narrow = (lane: number, start: number, failed: boolean) => {
    const col = Math.min(width - 1, Math.max(0, Math.floor((start - lo) / pxMs)));
    const key = lane * (width + 1) + col;
    const d = dense.get(key) ?? [lane, col, 0, 0];
    d[2]++;
    if (failed) d[3]++;
    dense.set(key, d);
  };
  for (const s of index.spans) {
    if (s.start === null) continue;
    const key = `${s.behavior}\u0000${s.depth}`;
    let lane = laneOf.get(key);
    if (lane === undefined) {
      laneOf.set(key, (lane = lanes.length));
      lanes.push({ behavior: s.behavior, depth: s.depth });
    }
    const end = s.end ?? runEnd ?? s.start;
    if (end < lo || s.start > hi) continue;
    if (end - s.start >= pxMs) wide.push({ id: s.id, seq: s.seq, kind: s.kind, name: s.name, start: s.start, end, status: s.status, depth: s.depth, lane });
    else narrow(lane, s.start, s.status === 'failed');
  }
  let bars = wide;
  if (wide.length > MAX_BARS) {
    bars = [...wide].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, MAX_BARS);
    const kept = new Set(bars);
    for (const b of wide) if (!kept.has(b)) narrow(b.lane, b.start, b.status === 'failed');
    bars.sort((a, b) => a.seq - b.seq);
  }
  // Lanes grouped by behavior: each behavior's executions, then the requests they made.
  const order = lanes.map((l, i) => i).sort((a, b) => firstOf(lanes, a) - firstOf(lanes, b) || lanes[a]!.depth - lanes[b]!.depth);
  const renumber = new Map(order.map((old, i) => [old, i]));
  return {
    runStart,
    runEnd,
    from: lo,
    to: hi,
    lanes: order.map((i) => lanes[i]!),
    bars: bars.map((b) => ({ ...b, lane: renumber.get(b.lane)! })),
    dense: [...dense.values()].map(([lane, col, n, f]) => [renumber.get(lane)!, col, n, f]),
    totalSpans: index.spans.length,
  };
}

/** Position of a lane's behavior among the behaviors, by first appearance. */
function firstOf(lanes: Lane[], i: number): number {
  return lanes.findIndex((l) => l.behavior === lanes[i]!.behavior);
}
