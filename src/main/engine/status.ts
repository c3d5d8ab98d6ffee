/** `status()` of a stored run, derived exactly as Active Graph's inspect does (spec §10.2). */
import { BUDGET_DIMENSIONS, type RunStatus, type RunStatusExtras } from '../../shared/model.js';
import { BEFORE_FIRST_SEQ, scanEvents, yieldToEventLoop, type EventStore } from '../store/event-store.js';
import { decodePayload } from './projection.js';
import { runState } from './run-state.js';

const isLifecycle = (type: string): boolean => type.startsWith('behavior.') || type.startsWith('relation_behavior.') || type.startsWith('runtime.') || type === 'context.read';

/**
 * `eventsProcessed`: the run's hot-log count when the caller already holds it (the data host's row
 * index of the run); counted here otherwise.
 */
export async function runStatus(store: EventStore, runId: string, tail = 20, signal?: AbortSignal, known: { eventsProcessed?: number } = {}): Promise<RunStatus> {
  const { state, last } = await runState(store, runId);
  const lastIdle = last?.type === 'runtime.idle' ? last : await store.lastEventOfTypes(runId, ['runtime.idle']);

  // Requeue count: events after the last idle that no behavior has picked up yet.
  const handled = new Set<string>();
  const candidates: { id: string; type: string; actor: string | null }[] = [];
  for await (const chunk of scanEvents(store, runId, { afterSeq: lastIdle?.seq ?? BEFORE_FIRST_SEQ, signal })) {
    for (const e of chunk) {
      if (e.type.startsWith('behavior.') || e.type.startsWith('relation_behavior.')) {
        const p = decodePayload(e, runId) as { event_id?: unknown } | null;
        if (p && typeof p.event_id === 'string') handled.add(p.event_id);
      }
      if (!isLifecycle(e.type) && !(e.actor ?? '').startsWith('promote:')) candidates.push(e);
    }
  }
  const queueDepth = candidates.filter((e) => !handled.has(e.id)).length;

  const recent = tail > 0 ? await store.eventsBefore(runId, Number.MAX_SAFE_INTEGER, tail) : [];
  return {
    run_id: runId,
    state,
    queue_depth: queueDepth,
    events_processed: known.eventsProcessed ?? (await store.countEvents(runId)),
    budget: {
      used: Object.fromEntries(BUDGET_DIMENSIONS.map((d) => [d, 0])),
      limits: Object.fromEntries(BUDGET_DIMENSIONS.map((d) => [d, null])),
      cost_used_usd: '0',
      cost_limit_usd: null,
      exhausted_by: null,
    },
    frame: null,
    registered_behaviors: [],
    recent_events: recent.map((e) => ({ id: e.id, type: e.type, actor: e.actor, timestamp: e.timestamp })),
  };
}

/**
 * What the log records beyond AG's status(): the last budget snapshot, frames, failures. The
 * first call aggregates the whole run; later calls only read what was appended since (live runs).
 */
/** Rows a status roll-up reads at a time (three narrow columns). */
const EXTRAS_CHUNK = 50_000;

export class RunStatusExtrasTracker {
  private lastSeq = BEFORE_FIRST_SEQ;
  private readonly frames = new Set<string>();
  private failures = 0;

  constructor(
    private readonly store: EventStore,
    private readonly runId: string,
  ) {}

  private last: RunStatusExtras | null = null;

  /** The extras as last read (no I/O), or null before the first read. */
  known(): RunStatusExtras | null {
    return this.last;
  }

  /** Reads run one after another: two at once would count the same rows twice. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * The frames and failures of the rows appended since the last read (all of them the first time),
   * in narrow chunks: `onProgress` hears how many rows were read, and `signal` stops between chunks
   * (what was read stays counted; the next read goes on from there).
   */
  current(signal?: AbortSignal, onProgress?: (rowsRead: number) => void): Promise<RunStatusExtras> {
    const next = this.queue.then(() => this.read(signal, onProgress));
    this.queue = next.catch(() => {});
    return next;
  }

  private async read(signal?: AbortSignal, onProgress?: (rowsRead: number) => void): Promise<RunStatusExtras> {
    let read = 0;
    for (;;) {
      await yieldToEventLoop(); // a cancel, and the host's other calls, are heard between chunks
      signal?.throwIfAborted();
      const rows = await this.store.frameRows(this.runId, this.lastSeq, EXTRAS_CHUNK);
      for (const r of rows) {
        if (r.frame_id) this.frames.add(r.frame_id);
        if (r.type === 'behavior.failed') this.failures++;
      }
      if (rows.length) this.lastSeq = rows[rows.length - 1]!.seq;
      read += rows.length;
      if (rows.length < EXTRAS_CHUNK) break;
      onProgress?.(read);
    }
    const last = await this.store.lastEventOfTypes(this.runId, ['runtime.budget_exhausted', 'runtime.idle']);
    let snapshot: unknown = null;
    if (last) {
      try {
        snapshot = (decodePayload(last, this.runId) as { snapshot?: unknown }).snapshot ?? null;
      } catch {
        snapshot = null; // a corrupted snapshot payload is shown by the event view, not here
      }
    }
    return (this.last = { last_budget_snapshot: snapshot, last_budget_event_id: last?.id ?? null, frames_seen: [...this.frames], failures: this.failures });
  }
}
