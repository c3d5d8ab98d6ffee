/** Opening, listing and closing stores, and the runs of a store. */
import { toStoreUrl } from '../../engine/open-store.js';
import { runNotFound } from '../../engine/errors.js';
import { runState } from '../../engine/run-state.js';
import { redactUrl } from '../../engine/store-url.js';
import type { Handlers, ServiceContext } from './context.js';

export function storeHandlers({
  registry,
  watcher,
  demoStoreUrl,
}: ServiceContext): Handlers<'openStore' | 'openDemoStore' | 'closeStore' | 'listStores' | 'listRuns' | 'runInfo' | 'eventTypes' | 'actors' | 'storeHealth'> {
  return {
    // A bare file path is accepted wherever a store URL is, as Active Graph's Runtime.load accepts it.
    openStore: async ({ url }) => registry.info(await registry.register(toStoreUrl(url, { lenient: true }))),
    openDemoStore: async () => registry.info(await registry.register(toStoreUrl(demoStoreUrl))),
    closeStore: async ({ storeId }) => {
      watcher.dropStore(storeId);
      return { closed: await registry.close(storeId) };
    },
    listStores: async () => registry.all().map((s) => registry.info(s)),
    // Active Graph stores give each run's state with the list (one statement); other runtimes' stores may not.
    listRuns: async ({ storeId }) => {
      const { store } = registry.get(storeId);
      const out = [];
      for (const r of await store.listRuns()) out.push({ ...r, state: r.state ?? (await runState(store, r.run_id)).state });
      return out;
    },
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
