/**
 * The open stores of the host, each with the caches its views share: row indexes per filter, graph
 * cursors per run and status trackers, all under one memory budget (cache-budget.ts). Ids are stable for the host's life, and across a restart.
 */
import type { OpOutput } from '../../shared/contract.js';
import type { EventFilter } from '../../shared/model.js';
import { storeNotOpen } from '../base/errors.js';
import type { EventStore } from '../store/event-store.js';
import { GraphCursor } from '../engine/graph-cursor.js';
import { openStore } from '../store/open-store.js';
import { RunStatusExtrasTracker } from '../engine/status.js';
import { redactUrl, storeDisplayName, stripSecrets, type StoreUrl } from '../store/store-url.js';
import { RunSpans, type SpanIndex } from '../engine/spans.js';
import { TimelineIndex } from '../engine/timeline-index.js';
import { cursorHistories, RunEnds } from '../engine/run-ends.js';
import { FleetIndex } from '../engine/fleet.js';
import { CacheBudget } from './cache-budget.js';
import type { KnownRun } from './run-figures.js';

export interface OpenStore {
  id: string;
  url: StoreUrl;
  store: EventStore;
  timelines: Map<string, TimelineIndex>;
  cursors: Map<string, GraphCursor>;
  extras: Map<string, RunStatusExtrasTracker>;
  spans: Map<string, RunSpans>;
  /** Runs' end graphs, forks' over their parents' histories. */
  ends: RunEnds;
  /** Every run's costs by day and behavior, as far as they are rolled up. */
  fleet: FleetIndex;
  /** Runs' counts and states, and as of which row (see run-figures). */
  known: Map<string, KnownRun>;
}

export type StoreInfo = OpOutput<'openStore'>;

const graphKey = (s: OpenStore, runId: string) => `${s.id}\u0000graph\u0000${runId}`;

export class StoreRegistry {
  private readonly stores = new Map<string, OpenStore>();
  private nextId = 1;

  constructor(
    /** How a store is opened (tests open it behind a spy that counts what each call reads). */
    private readonly open: (url: StoreUrl) => Promise<EventStore> = openStore,
    /** The caches of every open store, under one memory budget. */
    readonly caches = new CacheBudget(),
  ) {}

  get(storeId: string): OpenStore {
    const s = this.stores.get(storeId);
    if (!s) throw storeNotOpen(storeId);
    return s;
  }

  all(): OpenStore[] {
    return [...this.stores.values()];
  }

  /** Opens a store, or returns the one already open at that URL. */
  async register(url: StoreUrl): Promise<OpenStore> {
    for (const s of this.stores.values()) if (s.url.raw === url.raw) return s;
    return this.add(`s${this.nextId++}`, url, await this.open(url));
  }

  /** Reopens a store under the id it had before the host restarted. */
  async reopen(storeId: string, url: StoreUrl): Promise<void> {
    this.nextId = Math.max(this.nextId, Number(storeId.slice(1)) + 1);
    this.add(storeId, url, await this.open(url));
  }

  private add(id: string, url: StoreUrl, store: EventStore): OpenStore {
    // The histories' callbacks run only once `s` exists.
    const ends = new RunEnds(store, {
      ...cursorHistories((runId) => this.cursor(s, runId)),
      graphAt: async (runId, seq, signal) => (await this.graphAt(s, runId, seq, signal)).graph,
      track: (runId, fork, drop) => {
        const key = `${s.id}\u0000fork\u0000${runId}`;
        this.caches.use(key, { kind: 'fork', storeId: s.id, runId, value: fork, drop });
        return { settle: () => this.caches.settle(key) };
      },
    });
    const s: OpenStore = { id, url, store, timelines: new Map(), cursors: new Map(), extras: new Map(), spans: new Map(), known: new Map(), ends, fleet: new FleetIndex(store) };
    this.stores.set(id, s);
    return s;
  }

  info(s: OpenStore): StoreInfo {
    return {
      storeId: s.id,
      url: redactUrl(s.url.raw),
      linkUrl: stripSecrets(s.url.raw),
      displayName: storeDisplayName(s.url),
      driver: s.store.driver,
      runtime: s.store.runtime,
      writable: s.store.runtime === 'Active Graph',
      ...(s.store.note ? { note: s.store.note } : {}),
    };
  }

  async close(storeId: string): Promise<boolean> {
    const s = this.stores.get(storeId);
    if (!s) return false;
    this.stores.delete(storeId);
    this.caches.forget((e) => e.storeId === storeId);
    await s.store.close();
    return true;
  }

  async closeAll(): Promise<void> {
    for (const s of this.stores.values()) await s.store.close();
    this.stores.clear();
    this.caches.forget(() => true);
  }

  /** The row index of a run under a filter, extended to the rows written since it was last used. */
  async timeline(s: OpenStore, runId: string, filter?: EventFilter, signal?: AbortSignal): Promise<TimelineIndex> {
    const key = `${runId}\u0000${JSON.stringify(filter ?? {})}`;
    let t = s.timelines.get(key);
    if (!t) s.timelines.set(key, (t = new TimelineIndex(s.store, runId, filter)));
    const cacheKey = `${s.id}\u0000timeline\u0000${key}`;
    this.caches.use(cacheKey, { kind: 'timeline', storeId: s.id, runId, value: t, drop: () => s.timelines.delete(key) });
    await t.refresh(signal);
    this.caches.settle(cacheKey);
    return t;
  }

  cursor(s: OpenStore, runId: string): GraphCursor {
    let c = s.cursors.get(runId);
    if (!c) s.cursors.set(runId, (c = new GraphCursor(s.store, runId)));
    const drop = () => {
      s.cursors.delete(runId);
      // A fork's end is a layer over this history: it goes with it.
      const over = s.ends.forksOver(runId);
      this.caches.forget((e) => e.storeId === s.id && e.kind === 'fork' && over.includes(e.runId));
    };
    this.caches.use(graphKey(s, runId), { kind: 'graph', storeId: s.id, runId, value: c, drop });
    return c;
  }

  /** The run's graph after the event with `asOfSeq` (or at the end), from its cached history. */
  async graphAt(s: OpenStore, runId: string, asOfSeq?: number, signal?: AbortSignal): ReturnType<GraphCursor['at']> {
    const at = await this.cursor(s, runId).at(asOfSeq, signal);
    this.caches.settle(graphKey(s, runId));
    return at;
  }

  /** The run's spans and cost roll-up, up to the end of its log. */
  async spans(s: OpenStore, runId: string, signal?: AbortSignal): Promise<SpanIndex> {
    let r = s.spans.get(runId);
    if (!r) s.spans.set(runId, (r = new RunSpans(s.store, runId)));
    const key = `${s.id}\u0000spans\u0000${runId}`;
    this.caches.use(key, { kind: 'spans', storeId: s.id, runId, value: r, drop: () => s.spans.delete(runId) });
    const index = await r.refresh(signal);
    this.caches.settle(key);
    return index;
  }

  statusTracker(s: OpenStore, runId: string): RunStatusExtrasTracker {
    let tracker = s.extras.get(runId);
    if (!tracker) s.extras.set(runId, (tracker = new RunStatusExtrasTracker(s.store, runId)));
    return tracker;
  }

  /** Drops the caches of a store whose runs changed under us (a fork we wrote). */
  forget(storeId: string): void {
    const s = this.stores.get(storeId);
    if (!s) return;
    s.timelines.clear();
    s.cursors.clear();
    s.ends.forget();
    s.extras.clear();
    this.caches.forget((e) => e.storeId === storeId && e.kind !== 'spans');
  }
}
