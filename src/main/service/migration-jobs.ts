/**
 * Migrations started from a window: each runs in the background with its own AbortController and
 * publishes its state on every chunk. A migration the host was running when it died is reported as
 * interrupted by the host that replaced it (each of its runs is complete or untouched).
 */
import type { OpOutput } from '../../shared/contract.js';
import { requireActiveGraph, hostInterrupted, toSerializedError, usageError } from '../base/errors.js';
import { migrateInto } from '../usecases/migrate.js';
import { toStoreUrl } from '../store/open-store.js';
import type { Pushes } from './push.js';
import type { OpenStore } from './store-registry.js';

type MigrationState = OpOutput<'migrationStatus'>;

export class MigrationJobs {
  private readonly jobs = new Map<string, { state: MigrationState; controller: AbortController }>();
  private nextId = 1;

  constructor(private readonly pushes: Pushes) {}

  start(source: OpenStore, destUrl: string, runIds: string[] | undefined, skipCorrupted: boolean): string {
    requireActiveGraph(source.store, 'migrate'); // refused at once, not as a failed migration
    const id = `m${this.nextId++}`;
    const controller = new AbortController();
    const state: MigrationState = { migrationId: id, state: 'running', runCount: 0, current: null, reports: [], error: null };
    this.jobs.set(id, { state, controller });
    const publish = () => this.pushes.send('migration', structuredClone(state));
    void (async () => {
      try {
        const result = await migrateInto(source.store, toStoreUrl(destUrl), {
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
        state.current = null;
        publish();
      }
    })();
    return id;
  }

  status(migrationId: string): MigrationState {
    const m = this.jobs.get(migrationId);
    if (!m) throw usageError(`no migration ${migrationId} in this session`);
    return structuredClone(m.state);
  }

  cancel(migrationId: string): boolean {
    const m = this.jobs.get(migrationId);
    if (!m || m.state.state !== 'running') return false;
    m.controller.abort();
    return true;
  }

  running(): string[] {
    return [...this.jobs].filter(([, m]) => m.state.state === 'running').map(([id]) => id);
  }

  /** After a restart: the migrations the old host was running, as interrupted. */
  restoreInterrupted(ids: string[]): void {
    for (const id of ids) {
      const state: MigrationState = { migrationId: id, state: 'interrupted', runCount: 0, current: null, reports: [], error: hostInterrupted() };
      this.jobs.set(id, { state, controller: new AbortController() });
      this.nextId = Math.max(this.nextId, Number(id.slice(1)) + 1);
      this.pushes.send('migration', structuredClone(state));
    }
  }
}
