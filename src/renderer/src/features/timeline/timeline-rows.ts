/** Fetches timeline rows by block of offsets and keeps a bounded cache, so only what is visible is loaded. */
import { useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import type { EventFilter } from '../../../../shared/model';
import { call } from '../../api/transport';

export type TimelineRow = OpOutput<'timelineWindow'>['rows'][number];
export type SpanTime = OpOutput<'spanTimes'>[number];
/** Events that start or end a span (their durations come from the engine's span index). */
const SPAN_TYPE =
  /^((relation_)?behavior\.(started|completed|failed)|(llm|tool|embedding)\.(requested|responded)|(assistant|workflow|node|tool)\.(invoke|respond|failed)|step\.[a-z_]+)$/;
const BLOCK = 100;
const MAX_BLOCKS = 60;
const MAX_SPAN_TIMES = 20_000;

/** What the timeline shows. `archived`: the run's archive tier instead of its hot log (filters apply to the hot log). */
export interface TimelineView {
  storeId: string;
  runId: string;
  filter: EventFilter;
  archived: boolean;
}

/** The rows of one view at a time, by block; the component re-renders on `changed`. */
export class TimelineBlocks {
  total: number | null = null;
  private view: TimelineView | null = null;
  private readonly cache = new Map<number, TimelineRow[]>();
  private readonly spans = new Map<string, SpanTime>();
  /** The latest ticket per block: only its answer lands, so a slower, older one never overwrites a newer one. */
  private readonly asked = new Map<number, number>();
  private tickets = 0;
  /** Cancels what was asked for the view the user left (another run, another filter): the host drops it at its next chunk. */
  private left = new AbortController();
  /**
   * Durations are asked one request at a time, for the blocks in view when it goes out: the first
   * one of a big run waits for its span index (seconds), and requests for rows scrolled past would
   * hold the browser's few connections to the server while a jump waits behind them.
   */
  private spansAsked = new Set<number>();
  private asking: Promise<void> | null = null;
  private inView = { first: 0, last: -1 };

  constructor(
    private readonly changed: () => void,
    private readonly failed: (err: unknown) => void,
  ) {}

  /** Shows another view, or none: what was asked for the one left is cancelled, and its rows forgotten. */
  show(view: TimelineView | null): void {
    this.left.abort();
    this.left = new AbortController();
    this.view = view;
    this.cache.clear();
    this.spans.clear();
    this.asked.clear();
    this.spansAsked.clear();
    this.asking = null;
    this.total = null;
    this.changed();
    if (view) void this.load(0);
  }

  /** Rows for [first, first+count); missing ones are asked for and come back as undefined. */
  rows(first: number, count: number): (TimelineRow | undefined)[] {
    const out: (TimelineRow | undefined)[] = [];
    this.inView = { first: Math.floor(first / BLOCK), last: Math.floor((first + count - 1) / BLOCK) };
    void this.askSpans();
    for (let i = first; i < first + count && (this.total === null || i < this.total); i++) {
      const block = Math.floor(i / BLOCK);
      const b = this.cache.get(block);
      if (!b) void this.load(block);
      out.push(b?.[i - block * BLOCK]);
    }
    return out;
  }

  /** The run grew: reload the tail block, which also brings the new total. */
  readonly grew = (): void => void this.load(Math.floor(Math.max(0, (this.total ?? 1) - 1) / BLOCK), true);

  /** The span an event starts or ends, once known. */
  spanOf(eventId: string): SpanTime | undefined {
    return this.spans.get(eventId);
  }

  /**
   * Asks the durations of the loaded blocks in view whose durations were not asked yet, when no
   * other ask is out (the span index of a big run is read once, in the background, by the first).
   */
  private askSpans(): Promise<void> | null {
    const view = this.view;
    if (!view || this.asking) return this.asking;
    const blocks: number[] = [];
    for (let b = this.inView.first; b <= this.inView.last && blocks.length < SPAN_ASK_BLOCKS; b++) if (this.cache.has(b) && !this.spansAsked.has(b)) blocks.push(b);
    if (blocks.length === 0) return null;
    blocks.forEach((b) => this.spansAsked.add(b));
    const eventIds = blocks.flatMap((b) =>
      this.cache
        .get(b)!
        .filter((r) => SPAN_TYPE.test(r.type))
        .map((r) => r.id),
    );
    if (eventIds.length === 0) return this.askSpans();
    const { storeId, runId } = view;
    const asking: Promise<void> = call('spanTimes', { storeId, runId, eventIds }, this.left.signal)
      .then(
        (times) => {
          if (this.view !== view) return;
          if (this.spans.size > MAX_SPAN_TIMES) {
            // Bounded, like the rows: the blocks in view ask theirs again.
            this.spans.clear();
            this.spansAsked = new Set(blocks);
          }
          for (const t of times) this.spans.set(t.eventId, t);
          this.changed();
        },
        () => {}, // no durations, nothing else lost: the rows are shown
      )
      .finally(() => {
        if (this.asking !== asking) return; // the view changed meanwhile: its own asks are under way
        this.asking = null;
        void this.askSpans();
      });
    this.asking = asking;
    return asking;
  }

  private async load(block: number, force = false): Promise<void> {
    const view = this.view;
    if (!view || (!force && this.asked.has(block))) return;
    const ticket = ++this.tickets;
    this.asked.set(block, ticket);
    const signal = this.left.signal;
    const current = () => this.view === view && this.asked.get(block) === ticket;
    const { storeId, runId, filter, archived } = view;
    try {
      const res = archived
        ? await call('archivedWindow', { storeId, runId, offset: block * BLOCK, limit: BLOCK }, signal)
        : await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset: block * BLOCK, limit: BLOCK }, signal);
      if (!current()) return;
      this.cache.set(block, res.rows);
      if (this.cache.size > MAX_BLOCKS) {
        const oldest = this.cache.keys().next().value!;
        this.cache.delete(oldest);
        this.asked.delete(oldest);
      }
      this.total = res.total;
      this.spansAsked.delete(block); // new rows, their durations not yet asked
      this.changed();
      void this.askSpans();
    } catch (err) {
      // Forget only this ask, so the block is asked again; a newer one (for the view shown now) stays.
      if (current()) this.asked.delete(block);
      if (!signal.aborted) this.failed(err);
    }
  }
}

/** One block's worth of durations per ask: what the window shows. */
const SPAN_ASK_BLOCKS = 4;

export function useTimelineRows(storeId: string | null, runId: string | null, filter: EventFilter, archived: boolean, onError: (e: unknown) => void) {
  const [, setVersion] = useState(0);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const [blocks] = useState(
    () =>
      new TimelineBlocks(
        () => setVersion((v) => v + 1),
        (err) => onErrorRef.current(err),
      ),
  );
  // `key` stands for the view's value: a new filter object with the same value must not reload.
  const key = `${storeId}|${runId}|${JSON.stringify(filter)}|${archived}`;
  useEffect(() => {
    blocks.show(storeId && runId ? { storeId, runId, filter, archived } : null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view's value is `key`
  }, [blocks, key]);
  useEffect(() => () => blocks.show(null), [blocks]);
  return { total: blocks.total, rows: (first: number, count: number) => blocks.rows(first, count), grew: blocks.grew, spanOf: (id: string) => blocks.spanOf(id) };
}
