/** What every feature's handlers are given: the host's registry, watcher, migrations and pushes. */
import type { HostOperationName, OpInput, OpOutput } from '../../../shared/contract.js';
import type { MigrationJobs } from '../migration-jobs.js';
import type { Pushes } from '../push.js';
import type { RunWatcher } from '../run-watcher.js';
import type { StoreRegistry } from '../store-registry.js';

export interface ServiceContext {
  registry: StoreRegistry;
  watcher: RunWatcher;
  jobs: MigrationJobs;
  pushes: Pushes;
  demoStoreUrl: string;
}

/** Handlers receive the parsed (validated) input and the caller's signal. */
export type Handlers<K extends HostOperationName = HostOperationName> = { [P in K]: (input: OpInput<P>, signal: AbortSignal) => Promise<OpOutput<P>> };
