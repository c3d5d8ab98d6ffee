/**
 * The data host's side of the contract, composed of one handler module per feature over a store
 * registry, a run watcher and the migration jobs. It runs in the data host (an Electron utility
 * process, or a worker thread in browser mode), never on a thread that serves a window. Every
 * handler takes the caller's AbortSignal: a request the window dropped stops at its next chunk.
 */
import type { EventStore } from '../store/event-store.js';
import { toStoreUrl } from '../store/open-store.js';
import type { StoreUrl } from '../store/store-url.js';
import { cacheHandlers } from './handlers/caches.js';
import { compareHandlers } from './handlers/compare.js';
import type { Handlers, ServiceContext } from './handlers/context.js';
import { eventHandlers } from './handlers/events.js';
import { exportHandlers } from './handlers/export.js';
import { forkHandlers } from './handlers/fork.js';
import { graphHandlers } from './handlers/graph.js';
import { migrateHandlers } from './handlers/migrate.js';
import { promoteHandlers } from './handlers/promote.js';
import { whatIfHandlers } from './handlers/what-if.js';
import { spanHandlers } from './handlers/spans.js';
import { statusHandlers } from './handlers/status.js';
import { storeHandlers } from './handlers/stores.js';
import { timelineHandlers } from './handlers/timeline.js';
import { MigrationJobs } from './migration-jobs.js';
import { Pushes, type PushSink } from './push.js';
import { RunWatcher } from './run-watcher.js';
import { StoreRegistry } from './store-registry.js';

export interface ServiceOptions {
  demoStoreUrl: string;
  /** How often watched runs are polled for new events (another process writing). */
  watchIntervalMs?: number;
  /** How stores are opened, when not as usual (in-process only: tests count what a call reads). */
  openStore?: (url: StoreUrl) => Promise<EventStore>;
}

/** What the host must remember across a restart: the open stores, and migrations in flight. */
export interface HostSnapshot {
  stores: { storeId: string; url: string }[];
  runningMigrations: string[];
}

export class InspectorService {
  private readonly pushes = new Pushes();
  private readonly registry: StoreRegistry;
  private readonly watcher: RunWatcher;
  private readonly jobs = new MigrationJobs(this.pushes);
  readonly handlers: Handlers;

  constructor(options: ServiceOptions) {
    this.registry = new StoreRegistry(options.openStore);
    this.watcher = new RunWatcher(this.registry, this.pushes, options.watchIntervalMs ?? 500);
    const ctx: ServiceContext = { registry: this.registry, watcher: this.watcher, jobs: this.jobs, pushes: this.pushes, demoStoreUrl: options.demoStoreUrl };
    this.handlers = {
      ...storeHandlers(ctx),
      ...timelineHandlers(ctx),
      ...eventHandlers(ctx),
      ...graphHandlers(ctx),
      ...statusHandlers(ctx),
      ...spanHandlers(ctx),
      ...forkHandlers(ctx),
      ...compareHandlers(ctx),
      ...exportHandlers(ctx),
      ...migrateHandlers(ctx),
      ...promoteHandlers(ctx),
      ...whatIfHandlers(ctx),
      ...cacheHandlers(ctx),
    };
  }

  onPush(sink: PushSink): () => void {
    return this.pushes.subscribe(sink);
  }

  /** The open stores (URLs with their secrets: this goes only to the process that started the host) and running migrations. */
  snapshot(): HostSnapshot {
    return { stores: this.registry.all().map((s) => ({ storeId: s.id, url: s.url.raw })), runningMigrations: this.jobs.running() };
  }

  /**
   * After a restart of the host: reopens the stores under their old ids (a store that no longer
   * opens is left out; the window's next call on it says it is not open), and reports the
   * migrations that were running as interrupted: each of their runs is complete or untouched.
   */
  async restore(snapshot: HostSnapshot): Promise<void> {
    for (const { storeId, url } of snapshot.stores) {
      try {
        await this.registry.reopen(storeId, toStoreUrl(url));
      } catch {
        /* gone or unreachable now */
      }
    }
    this.jobs.restoreInterrupted(snapshot.runningMigrations);
  }

  async close(): Promise<void> {
    this.watcher.close();
    await this.registry.closeAll();
  }
}
