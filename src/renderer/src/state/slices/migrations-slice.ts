/**
 * The migration the wizard follows: started here, then kept as the host's pushes report it. A push
 * may come before the start's answer names the migration (a small one can be done by then), so
 * every migration's latest state is kept, and the state is asked once after the start as well.
 */
import type { StateCreator } from 'zustand';
import type { OpInput, OpOutput } from '../../../../shared/contract';
import { api, call, toApiError, type ApiError } from '../../api/transport';
import type { AppState } from '../app-store';

export type Migration = OpOutput<'migrationStatus'>;

export interface MigrationsSlice {
  /** The latest state of each migration this window has heard of. */
  migrations: Record<string, Migration>;
  /** The one the wizard shows (null: the wizard's form). */
  followedMigration: string | null;
  /** Starts a migration and follows it; returns the failure for the wizard to show. */
  startMigration(input: OpInput<'startMigration'>): Promise<ApiError | null>;
  cancelMigration(): Promise<void>;
}

/** A report never goes back to running: the newer of two states is the one that is not. */
const newer = (a: Migration | undefined, b: Migration): Migration => (a && a.state !== 'running' ? a : b);

export const migrationsSlice: StateCreator<AppState, [], [], MigrationsSlice> = (set, get) => {
  let listening = false;
  const heard = (m: Migration) => set((s) => ({ migrations: { ...s.migrations, [m.migrationId]: m } }));
  return {
    migrations: {},
    followedMigration: null,
    async startMigration(input) {
      if (!listening) {
        listening = true;
        api.subscribe('migration', heard);
      }
      try {
        const { migrationId } = await call('startMigration', input);
        set({ followedMigration: migrationId });
        const asked = await call('migrationStatus', { migrationId }).catch(() => null); // should this fail, the pushes still come
        if (asked) set((s) => ({ migrations: { ...s.migrations, [migrationId]: newer(s.migrations[migrationId], asked) } }));
        return null;
      } catch (err) {
        return toApiError(err);
      }
    },
    async cancelMigration() {
      const id = get().followedMigration;
      if (id) await call('cancelMigration', { migrationId: id }).catch((err: unknown) => get().showError(err));
    },
  };
};
