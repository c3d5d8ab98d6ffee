/**
 * Watched runs: polled for rows another process appended, announced as `runGrew`; and the stores
 * they are in, for a run another process started, announced as `storeChanged` (the list is read again).
 */
import type { Pushes } from './push.js';
import type { StoreRegistry } from './store-registry.js';

export class RunWatcher {
  private readonly watches = new Map<string, { storeId: string; runId: string; total: number }>();
  /** Per store with a watch: how many runs it listed at the last look. */
  private readonly runsSeen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly registry: StoreRegistry,
    private readonly pushes: Pushes,
    private readonly intervalMs: number,
  ) {}

  set(storeId: string, runId: string, watch: boolean): void {
    const key = `${storeId}\u0000${runId}`;
    if (!watch) this.watches.delete(key);
    else {
      this.registry.get(storeId);
      this.watches.set(key, { storeId, runId, total: -1 });
    }
    this.schedule();
  }

  dropStore(storeId: string): void {
    for (const [k, w] of this.watches) if (w.storeId === storeId) this.watches.delete(k);
    this.runsSeen.delete(storeId);
    this.schedule();
  }

  close(): void {
    this.watches.clear();
    this.schedule();
  }

  private schedule(): void {
    if (this.watches.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  private async pollRun(w: { storeId: string; runId: string; total: number }): Promise<void> {
    const s = this.registry.all().find((x) => x.id === w.storeId);
    if (!s) return;
    const t = await this.registry.timeline(s, w.runId);
    if (t.total === w.total) return;
    // The first look announces the run too: what was appended between the window's read and the
    // watch's start is not missed (the window re-reads the tail; nothing new costs one page).
    w.total = t.total;
    const last = await s.store.eventsBefore(w.runId, Number.MAX_SAFE_INTEGER, 1);
    this.pushes.send('runGrew', { storeId: w.storeId, runId: w.runId, total: t.total, lastSeq: last[0]?.seq ?? null });
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      // All at once: on a shared store each run's read waits its turn behind the runs being
      // opened (see PostgresStore's bulk slots); one after another, the last would wait for all.
      await Promise.allSettled([...this.watches.values()].map((w) => this.pollRun(w)));
      for (const storeId of new Set([...this.watches.values()].map((w) => w.storeId))) {
        const s = this.registry.all().find((x) => x.id === storeId);
        const n = await s?.store.runsCount?.();
        if (n === undefined) continue;
        const seen = this.runsSeen.get(storeId);
        this.runsSeen.set(storeId, n);
        if (seen !== undefined && n !== seen) this.pushes.send('storeChanged', { storeId });
      }
    } catch {
      // a transient read failure (writer mid-checkpoint, lost connection) is retried on the next tick (a run's own, too)
    } finally {
      this.polling = false;
    }
  }
}
