/**
 * The data host's side of the contract: one handler per operation, over the engine. It runs in the
 * data host (an Electron utility process, or a worker thread in browser mode), never on a thread
 * that serves a window. Every handler takes the caller's AbortSignal: a request the window dropped
 * stops at its next chunk.
 */
import type { HostOperationName, OpInput, OpOutput, PushChannel, PushPayload } from '../../shared/contract.js';
import { isFailureType } from '../../shared/event-types.js';
import type { EventFilter } from '../../shared/model.js';
import { diffRuns } from '../engine/diff.js';
import { BEFORE_FIRST_SEQ, eventRow, type EventStore, type StoredEvent } from '../engine/event-store.js';
import { summarizePayload } from '../engine/event-summary.js';
import { forkRun } from '../engine/fork.js';
import { openDestination, openStore, toStoreUrl } from '../engine/open-store.js';
import { decodePayload } from '../engine/projection.js';
import { pyLoadsFast } from '../engine/pyjson.js';
import { resolveRunId } from '../engine/runs.js';
import { RunStatusExtrasTracker, runStatus } from '../engine/status.js';
import { redactUrl, storeDisplayName, type StoreUrl } from '../engine/store-url.js';
import { exportTrace } from '../engine/trace.js';
import { activeGraphOnly, eventNotFound, hostInterrupted, InspectorError, storeNotOpen, usageError } from '../engine/errors.js';
import { migrate } from '../engine/migrate.js';
import type { StoreWriter } from '../engine/store-writer.js';
import { toSerializedError } from './dispatch.js';
import { GraphCursor } from './graph-cursor.js';
import { TimelineIndex } from './timeline-index.js';

/** Handlers receive the parsed (validated) input and the caller's signal. */
type Handlers = { [K in HostOperationName]: (input: OpInput<K>, signal: AbortSignal) => Promise<OpOutput<K>> };

/** What the host must remember across a restart: the open stores, and migrations in flight. */
export interface HostSnapshot {
  stores: { storeId: string; url: string }[];
  runningMigrations: string[];
}

interface OpenStore {
  id: string;
  url: StoreUrl;
  store: EventStore;
  timelines: Map<string, TimelineIndex>;
  cursors: Map<string, GraphCursor>;
  extras: Map<string, RunStatusExtrasTracker>;
}

export type PushSink = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

export interface ServiceOptions {
  demoStoreUrl: string;
  /** How often watched runs are polled for new events (another process writing). */
  watchIntervalMs?: number;
}

const GRAPH_CAP_DEFAULT = 2000;
/** Consequences are searched among this many following events (no index on caused_by). */
const CONSEQUENCE_SCAN = 20_000;

export class InspectorService {
  private readonly stores = new Map<string, OpenStore>();
  private nextStore = 1;
  private readonly watches = new Map<string, { storeId: string; runId: string; total: number }>();
  private watchTimer: NodeJS.Timeout | null = null;
  private readonly sinks = new Set<PushSink>();
  private readonly migrations = new Map<string, { state: OpOutput<'migrationStatus'>; controller: AbortController }>();
  private nextMigration = 1;

  constructor(private readonly options: ServiceOptions) {}

  onPush(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  private push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void {
    for (const s of this.sinks) s(channel, payload);
  }

  private get(storeId: string): OpenStore {
    const s = this.stores.get(storeId);
    if (!s) throw storeNotOpen(storeId);
    return s;
  }

  /** The open stores (URLs with their secrets: this goes only to the process that started the host) and running migrations. */
  snapshot(): HostSnapshot {
    return {
      stores: [...this.stores.values()].map((s) => ({ storeId: s.id, url: s.url.raw })),
      runningMigrations: [...this.migrations].filter(([, m]) => m.state.state === 'running').map(([id]) => id),
    };
  }

  /**
   * After a restart of the host: reopens the stores under their old ids (a store that no longer
   * opens is left out; the window's next call on it says it is not open), and reports the
   * migrations that were running as interrupted: each of their runs is complete or untouched.
   */
  async restore(snapshot: HostSnapshot): Promise<void> {
    for (const { storeId, url } of snapshot.stores) {
      try {
        const parsed = toStoreUrl(url);
        this.stores.set(storeId, { id: storeId, url: parsed, store: await openStore(parsed), timelines: new Map(), cursors: new Map(), extras: new Map() });
      } catch {
        /* gone or unreachable now */
      }
      this.nextStore = Math.max(this.nextStore, Number(storeId.slice(1)) + 1);
    }
    for (const id of snapshot.runningMigrations) {
      const state: OpOutput<'migrationStatus'> = { migrationId: id, state: 'interrupted', runCount: 0, current: null, reports: [], error: hostInterrupted() };
      this.migrations.set(id, { state, controller: new AbortController() });
      this.nextMigration = Math.max(this.nextMigration, Number(id.slice(1)) + 1);
      this.push('migration', structuredClone(state));
    }
  }

  private async timeline(s: OpenStore, runId: string, filter?: EventFilter, signal?: AbortSignal): Promise<TimelineIndex> {
    const key = `${runId}\u0000${JSON.stringify(filter ?? {})}`;
    let t = s.timelines.get(key);
    if (!t) {
      t = new TimelineIndex(s.store, runId, filter);
      s.timelines.set(key, t);
      if (s.timelines.size > 16) s.timelines.delete(s.timelines.keys().next().value!);
    }
    await t.refresh(signal);
    return t;
  }

  private cursor(s: OpenStore, runId: string): GraphCursor {
    let c = s.cursors.get(runId);
    if (!c) {
      c = new GraphCursor(s.store, runId);
      s.cursors.set(runId, c);
      if (s.cursors.size > 4) s.cursors.delete(s.cursors.keys().next().value!);
    }
    return c;
  }

  private async register(url: StoreUrl): Promise<OpOutput<'openStore'>> {
    for (const s of this.stores.values()) if (s.url.raw === url.raw) return this.info(s);
    const store = await openStore(url);
    const s: OpenStore = { id: `s${this.nextStore++}`, url, store, timelines: new Map(), cursors: new Map(), extras: new Map() };
    this.stores.set(s.id, s);
    return this.info(s);
  }

  private info(s: OpenStore): OpOutput<'openStore'> {
    return {
      storeId: s.id,
      url: redactUrl(s.url.raw),
      displayName: storeDisplayName(s.url),
      driver: s.store.driver,
      runtime: s.store.runtime,
      writable: s.store.runtime === 'Active Graph',
    };
  }

  readonly handlers: Handlers = {
    openStore: async ({ url }) => this.register(toStoreUrl(url)),
    openDemoStore: async () => this.register(toStoreUrl(this.options.demoStoreUrl)),
    closeStore: async ({ storeId }) => {
      const s = this.stores.get(storeId);
      if (!s) return { closed: false };
      this.stores.delete(storeId);
      for (const [k, w] of this.watches) if (w.storeId === storeId) this.watches.delete(k);
      await s.store.close();
      return { closed: true };
    },
    listStores: async () => [...this.stores.values()].map((s) => this.info(s)),
    listRuns: async ({ storeId }) => {
      const s = this.get(storeId);
      const runs = await s.store.listRuns();
      const out = [];
      for (const r of runs) {
        const last = await s.store.lastEventOfTypes(r.run_id, ['runtime.budget_exhausted', 'runtime.idle']);
        out.push({ ...r, state: last === null ? ('stopped' as const) : last.type === 'runtime.idle' ? ('idle' as const) : ('exhausted' as const) });
      }
      return out;
    },
    timelineWindow: async ({ storeId, runId, filter, offset, limit }, signal) => {
      const t = await this.timeline(this.get(storeId), runId, filter, signal);
      const rows = await t.window(offset, limit);
      return { total: t.total, rows: rows.map((e, i) => timelineRow(e, offset + i)) };
    },
    locateEvent: async ({ storeId, runId, filter, eventId, seq, position }, signal) => {
      const s = this.get(storeId);
      const t = await this.timeline(s, runId, filter, signal);
      if (position === 'first') return { offset: t.total ? 0 : null, seq: null, total: t.total };
      if (position === 'last') return { offset: t.total ? t.total - 1 : null, seq: null, total: t.total };
      let target = seq;
      if (eventId !== undefined) {
        const e = await s.store.getEvent(runId, eventId);
        if (!e) throw eventNotFound(eventId, runId, 'jump');
        target = e.seq;
      }
      if (target === undefined) return { offset: null, seq: null, total: t.total };
      return { offset: await t.offsetOfSeq(target), seq: target, total: t.total };
    },
    getEvent: async ({ storeId, runId, eventId }) => {
      const s = this.get(storeId);
      const e = await s.store.getEvent(runId, eventId);
      if (!e) throw eventNotFound(eventId, runId, 'inspect');
      let payload: unknown = null;
      let payloadError: string | undefined;
      try {
        payload = decodePayload(e, runId);
      } catch (err) {
        const underlying = err instanceof InspectorError ? err.context.underlying_msg : undefined;
        payloadError = (err as Error).message + (typeof underlying === 'string' ? `: ${underlying}` : '');
      }
      const cause = e.caused_by ? await s.store.getEvent(runId, e.caused_by) : null;
      const consequences = await s.store.eventsCausedBy(runId, e.id, e.seq, CONSEQUENCE_SCAN);
      const after = await s.store.seqsAfter(runId, e.seq, CONSEQUENCE_SCAN + 1);
      const brief = (x: StoredEvent) => ({ seq: x.seq, id: x.id, type: x.type, actor: x.actor });
      return {
        ...eventRow(e),
        payload,
        payloadText: e.payload,
        payloadError,
        cause: cause ? brief(cause) : null,
        consequences: consequences.map(brief),
        consequencesSearched: after.length > CONSEQUENCE_SCAN ? CONSEQUENCE_SCAN : null,
      };
    },
    eventTypes: async ({ storeId }) => this.get(storeId).store.eventTypes(),
    rateStrip: async ({ storeId, runId, buckets }, signal) => {
      const s = this.get(storeId);
      const all = await this.timeline(s, runId, undefined, signal);
      // One pass over the run's failures (seqs only), then each bucket is two point reads. The
      // failure types are looked up first, so the pass can use the type index.
      const failureTypes = (await s.store.eventTypes()).filter(isFailureType);
      const failureSeqs: number[] = [];
      for (let after = BEFORE_FIRST_SEQ; failureTypes.length;) {
        signal.throwIfAborted();
        const seqs = await s.store.seqsAfter(runId, after, 50_000, { types: failureTypes });
        failureSeqs.push(...seqs);
        if (seqs.length < 50_000) break;
        after = seqs[seqs.length - 1]!;
      }
      const below = (seq: number): number => {
        let lo = 0;
        let hi = failureSeqs.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (failureSeqs[mid]! < seq) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const size = Math.max(1, Math.ceil(all.total / Math.max(1, buckets)));
      const out = [];
      for (let from = 0; from < all.total; from += size) {
        const count = Math.min(size, all.total - from);
        const [firstRow] = await all.window(from, 1);
        const [lastRow] = await all.window(from + count - 1, 1);
        const seconds = Math.max(0, (Date.parse(lastRow?.timestamp ?? '') - Date.parse(firstRow?.timestamp ?? '')) / 1000);
        const failures = firstRow && lastRow ? below(lastRow.seq + 1) - below(firstRow.seq) : 0;
        out.push({ fromOffset: from, count, failures, seconds: Number.isFinite(seconds) ? seconds : 0 });
      }
      return { total: all.total, buckets: out };
    },
    graphOverview: async ({ storeId, runId, asOfSeq }, signal) => {
      const { graph, seq } = await this.cursor(this.get(storeId), runId).at(asOfSeq, signal);
      const degree = new Map<string, number>();
      for (const r of graph.relations.values()) for (const end of [r.source, r.target]) degree.set(end, (degree.get(end) ?? 0) + 1);
      const hubs = [...graph.objects.values()]
        .map((o) => ({ id: o.id, type: o.type, degree: degree.get(o.id) ?? 0 }))
        .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : 1))
        .slice(0, 200);
      return { asOfSeq: seq, objects: graph.objects.size, relations: graph.relations.size, patches: graph.patches.size, hubs };
    },
    neighborhood: async ({ storeId, runId, objectId, depth, asOfSeq, limit }, signal) => {
      const { graph, seq } = await this.cursor(this.get(storeId), runId).at(asOfSeq, signal);
      const hood = graph.neighborhood(objectId, depth);
      const cap = limit ?? GRAPH_CAP_DEFAULT;
      const objects = hood.objects.slice(0, cap);
      const kept = new Set(objects.map((o) => o.id));
      const relations = hood.relations
        .filter((r) => (kept.has(r.source) || !graph.objects.has(r.source)) && (kept.has(r.target) || !graph.objects.has(r.target)))
        .slice(0, cap * 2);
      return {
        asOfSeq: seq,
        objects,
        relations,
        totalObjects: hood.objects.length,
        totalRelations: hood.relations.length,
        truncated: objects.length < hood.objects.length || relations.length < hood.relations.length,
      };
    },
    objectHistory: async ({ storeId, runId, objectId, limit }, signal) => {
      const s = this.get(storeId);
      const t = await this.timeline(s, runId, { text: JSON.stringify(objectId).slice(1, -1) }, signal);
      const rows = await t.window(0, limit ?? 200);
      return rows.filter((e) => touches(e, objectId, runId)).map((e) => ({ seq: e.seq, id: e.id, type: e.type, actor: e.actor }));
    },
    status: async ({ storeId, runId, tail }, signal) => {
      const s = this.get(storeId);
      await resolveRunId(s.store, runId);
      let tracker = s.extras.get(runId);
      if (!tracker) s.extras.set(runId, (tracker = new RunStatusExtrasTracker(s.store, runId)));
      return { status: await runStatus(s.store, runId, tail, signal), extras: await tracker.current() };
    },
    fork: async ({ storeId, runId, atEventId, label, record, destUrl }, signal) => {
      const s = this.get(storeId);
      if (s.store.runtime !== 'Active Graph') throw activeGraphOnly(s.store.runtime, 'fork');
      const destination = destUrl ? toStoreUrl(destUrl) : s.url;
      const dest = await openDestination(destination);
      try {
        const result = await forkRun(s.store, dest, runId, atEventId, {
          label: label || null,
          record,
          signal,
          onProgress: (done) => this.push('progress', { operation: 'fork', done, total: null, label: `forking ${runId}` }),
        });
        const destInfo = await this.register(destination);
        this.forget(destInfo.storeId);
        this.push('storeChanged', { storeId: destInfo.storeId });
        return { ...result, destStoreId: destInfo.storeId };
      } finally {
        await dest.close();
      }
    },
    diff: async ({ storeId, runA, runB, storeIdB }, signal) => {
      const a = this.get(storeId);
      const b = storeIdB ? this.get(storeIdB) : a;
      await resolveRunId(a.store, runA);
      await resolveRunId(b.store, runB);
      return diffRuns(a.store, runA, runB, signal, b.store);
    },
    exportTrace: async ({ storeId, runId, format, maxLines }, signal) => {
      const s = this.get(storeId);
      const lines: string[] = [];
      const cap = maxLines ?? 100_000;
      for await (const line of exportTrace(s.store, runId, format, signal)) {
        if (lines.length >= cap) return { lines, truncated: true };
        lines.push(line);
      }
      return { lines, truncated: false };
    },
    startMigration: async ({ storeId, destUrl, runIds, skipCorrupted }) => {
      const s = this.get(storeId);
      if (s.store.runtime !== 'Active Graph') throw activeGraphOnly(s.store.runtime, 'migrate');
      const id = `m${this.nextMigration++}`;
      const controller = new AbortController();
      const state: OpOutput<'migrationStatus'> = { migrationId: id, state: 'running', runCount: 0, current: null, reports: [], error: null };
      this.migrations.set(id, { state, controller });
      const publish = () => this.push('migration', structuredClone(state));
      void (async () => {
        let dest: StoreWriter | undefined;
        try {
          const destination = toStoreUrl(destUrl);
          if (destination.raw === s.url.raw) throw usageError('the source and the destination are the same store');
          dest = await openDestination(destination);
          const result = await migrate(s.store, dest, {
            runIds,
            skipCorrupted,
            signal: controller.signal,
            onProgress: (p) => {
              state.runCount = p.runCount;
              state.current = { runId: p.runId, runIndex: p.runIndex, eventsDone: p.eventsDone, eventsTotal: p.eventsTotal };
              if (p.report) state.reports.push(p.report);
              publish();
            },
          });
          state.reports = result.runs;
          state.state = result.cancelled ? 'cancelled' : 'finished';
        } catch (err) {
          state.state = 'failed';
          state.error = toSerializedError(err);
        } finally {
          await dest?.close().catch(() => {});
          state.current = null;
          publish();
        }
      })();
      return { migrationId: id };
    },
    migrationStatus: async ({ migrationId }) => {
      const m = this.migrations.get(migrationId);
      if (!m) throw usageError(`no migration ${migrationId} in this session`);
      return structuredClone(m.state);
    },
    cancelMigration: async ({ migrationId }) => {
      const m = this.migrations.get(migrationId);
      if (!m || m.state.state !== 'running') return { cancelling: false };
      m.controller.abort();
      return { cancelling: true };
    },
    watchRun: async ({ storeId, runId, watch }) => {
      const key = `${storeId}\u0000${runId}`;
      if (!watch) this.watches.delete(key);
      else {
        this.get(storeId);
        this.watches.set(key, { storeId, runId, total: -1 });
      }
      this.scheduleWatch();
      return { watching: watch };
    },
  };

  /** Drops cached indexes of a store whose runs changed under us (a fork we wrote). */
  private forget(storeId: string): void {
    const s = this.stores.get(storeId);
    if (!s) return;
    s.timelines.clear();
    s.cursors.clear();
    s.extras.clear();
  }

  private scheduleWatch(): void {
    if (this.watches.size === 0) {
      if (this.watchTimer) clearInterval(this.watchTimer);
      this.watchTimer = null;
      return;
    }
    if (this.watchTimer) return;
    this.watchTimer = setInterval(() => void this.pollWatches(), this.options.watchIntervalMs ?? 500);
    this.watchTimer.unref();
  }

  private polling = false;
  private async pollWatches(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const w of this.watches.values()) {
        const s = this.stores.get(w.storeId);
        if (!s) continue;
        const t = await this.timeline(s, w.runId);
        if (t.total !== w.total) {
          const prev = w.total;
          w.total = t.total;
          if (prev >= 0) {
            const last = await s.store.eventsBefore(w.runId, Number.MAX_SAFE_INTEGER, 1);
            s.cursors.delete(w.runId);
            this.push('runGrew', { storeId: w.storeId, runId: w.runId, total: t.total, lastSeq: last[0]?.seq ?? null });
          }
        }
      }
    } catch {
      // a transient read failure (writer mid-checkpoint, lost connection) is retried on the next tick
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    this.watches.clear();
    this.scheduleWatch();
    for (const s of this.stores.values()) await s.store.close();
    this.stores.clear();
  }
}

function timelineRow(e: StoredEvent, offset: number): OpOutput<'timelineWindow'>['rows'][number] {
  let summary: string;
  let corrupted = false;
  try {
    summary = summarizePayload(e.type, pyLoadsFast(e.payload));
  } catch {
    corrupted = true;
    summary = `corrupted payload: ${e.payload.slice(0, 80)}`;
  }
  return {
    offset,
    ...eventRow(e),
    summary,
    failed: isFailureType(e.type),
    corrupted,
  };
}

/** Whether an event's payload names the object as a graph entity (not merely mentions it). */
function touches(e: StoredEvent, objectId: string, runId: string): boolean {
  let p: any;
  try {
    p = decodePayload(e, runId);
  } catch {
    return false;
  }
  return (
    p?.object?.id === objectId ||
    p?.id === objectId ||
    p?.target === objectId ||
    p?.patch?.target === objectId ||
    p?.relation?.source === objectId ||
    p?.relation?.target === objectId ||
    p?.triggering_object_id === objectId
  );
}
