/** Migrations: start one, read its state, cancel it. */
import type { Handlers, ServiceContext } from './context.js';

export function migrateHandlers({ registry, jobs }: ServiceContext): Handlers<'startMigration' | 'migrationStatus' | 'cancelMigration'> {
  return {
    startMigration: async ({ storeId, destUrl, runIds, skipCorrupted }) => ({ migrationId: jobs.start(registry.get(storeId), destUrl, runIds, skipCorrupted) }),
    migrationStatus: async ({ migrationId }) => jobs.status(migrationId),
    cancelMigration: async ({ migrationId }) => ({ cancelling: jobs.cancel(migrationId) }),
  };
}
