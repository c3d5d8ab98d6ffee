/** Opening, listing and closing stores, and the runs of a store. */
import { toStoreUrl } from '../../store/open-store.js';
import { runNotFound } from '../../base/errors.js';
import { countOf, knownCount, knowState, stateOf } from '../run-figures.js';
import { redactUrl } from '../../store/store-url.js';
import { browseFolder } from '../browse-files.js';
import type { Handlers, ServiceContext } from './context.js';

/** How long a run list may spend counting runs before it answers with the rest uncounted (RUN_INSPECTOR_COUNT_BUDGET_MS). */
const countBudgetMs = (): number => {
  const v = Number(process.env.RUN_INSPECTOR_COUNT_BUDGET_MS);
  return Number.isInteger(v) && v >= 0 ? v : 300;
};

/** A run whose rows lie within this many seqs counts in a few milliseconds (its count cannot exceed it). */
const QUICK_COUNT_SPAN = 50_000;

export function storeHandlers({
  registry,
  watcher,
  demoStoreUrl,
}: ServiceContext): Handlers<
  'openStore' | 'openDemoStore' | 'browseFiles' | 'closeStore' | 'listStores' | 'listRuns' | 'runCounts' | 'runFailures' | 'runInfo' | 'eventTypes' | 'actors' | 'storeHealth'
> {
  return {
    // A bare file path is accepted wherever a store URL is, as Active Graph's Runtime.load accepts it.
    openStore: async ({ url }) => registry.info(await registry.register(toStoreUrl(url, { lenient: true }))),
    openDemoStore: async () => registry.info(await registry.register(toStoreUrl(demoStoreUrl))),
    browseFiles: ({ dir }, signal) => browseFolder(dir, signal),
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
      for (const r of await s.store.listRuns({ counts: false })) out.push({ ...r, state: r.state ? knowState(s, r, r.state) : await stateOf(s, r) });
      const started = Date.now();
      const budget = countBudgetMs();
      for (const r of out) {
        if (r.event_count !== null) continue;
        r.event_count = knownCount(s, r);
        // Only runs whose seq span bounds their count to a quick one: one big run would spend the budget alone.
        const small = r.first_seq !== null && r.last_seq !== null && r.last_seq - r.first_seq < QUICK_COUNT_SPAN;
        if (r.event_count === null && (small || r.last_seq === null) && Date.now() - started < budget) r.event_count = await countOf(s, r, signal);
      }
      return out;
    },
    runCounts: async ({ storeId, runIds }, signal) => {
      const s = registry.get(storeId);
      const out = [];
      for (const runId of runIds) {
        signal.throwIfAborted();
        const r = await s.store.getRun(runId); // its last seq and archive count: what a count is valid for
        if (r) out.push({ run_id: runId, event_count: await countOf(s, r, signal) });
      }
      return out;
    },
    runFailures: async ({ storeId }) => registry.get(storeId).store.failuresByRun(),
    // A run that grew (a live one): its row, with its count and state brought up to date from its new rows only.
    runInfo: async ({ storeId, runId }, signal) => {
      const s = registry.get(storeId);
      const r = await s.store.getRun(runId);
      if (!r) throw runNotFound(runId, redactUrl(s.store.url.raw), 'missing');
      return { ...r, event_count: await countOf(s, r, signal), state: await stateOf(s, r) };
    },
    eventTypes: async ({ storeId }) => registry.get(storeId).store.eventTypes(),
    actors: async ({ storeId, runId }) => registry.get(storeId).store.actorsOf(runId, 200),
    storeHealth: async ({ storeId }) => (await registry.get(storeId).store.replication?.()) ?? { standby: false, lagSeconds: null },
  };
}
