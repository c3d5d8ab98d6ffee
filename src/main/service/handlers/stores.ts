/** Opening, listing and closing stores, and the runs of a store. */
import { toStoreUrl } from '../../engine/open-store.js';
import { runNotFound } from '../../engine/errors.js';
import { runState } from '../../engine/run-state.js';
import { redactUrl } from '../../engine/store-url.js';
import type { OpenStore } from '../store-registry.js';
import type { Handlers, ServiceContext } from './context.js';

/** How long a run list may spend counting runs before it answers with the rest uncounted (RUN_INSPECTOR_COUNT_BUDGET_MS). */
const countBudgetMs = (): number => {
  const v = Number(process.env.RUN_INSPECTOR_COUNT_BUDGET_MS);
  return Number.isInteger(v) && v >= 0 ? v : 300;
};

/** A run whose rows lie within this many seqs counts in a few milliseconds (its count cannot exceed it). */
const QUICK_COUNT_SPAN = 50_000;

/** A run's count stays valid while its last seq and its archive are as they were (a log only grows; a compaction archives). */
const countKey = (r: { last_seq: number | null; archived_count: number }): string => `${r.last_seq}:${r.archived_count}`;

async function countRun(s: OpenStore, r: { run_id: string; last_seq: number | null; archived_count: number }, signal?: AbortSignal): Promise<number> {
  signal?.throwIfAborted();
  const count = await s.store.countEvents(r.run_id);
  s.counts.set(r.run_id, { key: countKey(r), count });
  return count;
}

export function storeHandlers({
  registry,
  watcher,
  demoStoreUrl,
}: ServiceContext): Handlers<
  'openStore' | 'openDemoStore' | 'closeStore' | 'listStores' | 'listRuns' | 'runCounts' | 'runFailures' | 'runInfo' | 'eventTypes' | 'actors' | 'storeHealth'
> {
  return {
    // A bare file path is accepted wherever a store URL is, as Active Graph's Runtime.load accepts it.
    openStore: async ({ url }) => registry.info(await registry.register(toStoreUrl(url, { lenient: true }))),
    openDemoStore: async () => registry.info(await registry.register(toStoreUrl(demoStoreUrl))),
    closeStore: async ({ storeId }) => {
      watcher.dropStore(storeId);
      return { closed: await registry.close(storeId) };
    },
    listStores: async () => registry.all().map((s) => registry.info(s)),
    // The list comes from the runs table with each run's last seq and state (one statement); the
    // counts, which cost what the whole store holds, come from what was counted before, or are
    // counted now for as long as the count budget allows; the rest stay null for runCounts.
    listRuns: async ({ storeId }, signal) => {
      const s = registry.get(storeId);
      const out = [];
      for (const r of await s.store.listRuns({ counts: false })) out.push({ ...r, state: r.state ?? (await runState(s.store, r.run_id)).state });
      const started = Date.now();
      const budget = countBudgetMs();
      for (const r of out) {
        if (r.event_count !== null) continue;
        r.event_count = s.counts.get(r.run_id)?.key === countKey(r) ? s.counts.get(r.run_id)!.count : null;
        // Only runs whose seq span bounds their count to a quick one: one big run would spend the budget alone.
        const small = r.first_seq !== null && r.last_seq !== null && r.last_seq - r.first_seq < QUICK_COUNT_SPAN;
        if (r.event_count === null && (small || r.last_seq === null) && Date.now() - started < budget) r.event_count = await countRun(s, r, signal);
      }
      return out;
    },
    runCounts: async ({ storeId, runIds }, signal) => {
      const s = registry.get(storeId);
      const out = [];
      for (const runId of runIds) {
        signal.throwIfAborted();
        const r = await s.store.getRun(runId); // the run's row with its count, last seq and archive count, in one statement
        if (!r) continue;
        const count = r.event_count ?? (await s.store.countEvents(runId));
        s.counts.set(runId, { key: countKey(r), count });
        out.push({ run_id: runId, event_count: count });
      }
      return out;
    },
    runFailures: async ({ storeId }) => registry.get(storeId).store.failuresByRun(),
    runInfo: async ({ storeId, runId }) => {
      const { store } = registry.get(storeId);
      const r = await store.getRun(runId);
      if (!r) throw runNotFound(runId, redactUrl(store.url.raw), 'missing');
      return { ...r, state: r.state ?? (await runState(store, runId)).state };
    },
    eventTypes: async ({ storeId }) => registry.get(storeId).store.eventTypes(),
    actors: async ({ storeId, runId }) => registry.get(storeId).store.actorsOf(runId, 200),
    storeHealth: async ({ storeId }) => (await registry.get(storeId).store.replication?.()) ?? { standby: false, lagSeconds: null },
  };
}
