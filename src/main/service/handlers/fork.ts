/** Forking a run at an event, into its own store or another one (the use case is usecases/fork). */
import { forkInto } from '../../usecases/fork.js';
import { toStoreUrl } from '../../store/open-store.js';
import type { Handlers, ServiceContext } from './context.js';

export function forkHandlers({ registry, pushes }: ServiceContext): Handlers<'fork'> {
  return {
    fork: async ({ storeId, runId, atEventId, label, record, destUrl }, signal) => {
      const s = registry.get(storeId);
      const destination = destUrl ? toStoreUrl(destUrl) : s.url;
      const { result } = await forkInto(s.store, {
        runId,
        atEventId,
        destination,
        label: label || null,
        record,
        signal,
        onProgress: (done) => pushes.send('progress', { operation: 'fork', done, total: null, label: `forking ${runId}` }),
      });
      const written = await registry.register(destination);
      registry.forget(written.id);
      pushes.send('storeChanged', { storeId: written.id });
      return { ...result, destStoreId: written.id };
    },
  };
}
