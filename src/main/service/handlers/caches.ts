/** The data host's caches: what they hold, and the memory budget they are kept under. */
import type { Handlers, ServiceContext } from './context.js';

const MB = 1024 * 1024;

export function cacheHandlers({ registry }: ServiceContext): Handlers<'cacheStats' | 'setCacheBudget'> {
  return {
    cacheStats: async () => registry.caches.stats(),
    setCacheBudget: async ({ limitMb }) => {
      registry.caches.setLimit(limitMb * MB);
      return registry.caches.stats();
    },
  };
}
