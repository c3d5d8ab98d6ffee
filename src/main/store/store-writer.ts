/** What a fork or migration destination must support, for both drivers. */
import type { ArchivedEvent, EventStore, RunRow, StoredEvent } from './event-store.js';

export type NewEvent = Omit<StoredEvent, 'seq'>;

export interface StoreWriter {
  readonly driver: 'sqlite' | 'postgres';
  /** A reader over the same destination (for verification and head checks); a SQLite destination is created on first use. */
  readonly reader: EventStore;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Plain insert; a duplicate run id is an error. */
  insertRun(row: RunRow): Promise<void>;
  /** Insert unless present; returns whether it was inserted. */
  insertRunIfAbsent(row: RunRow): Promise<boolean>;
  /** Appends with new seqs, skipping (id, run_id) already present; returns inserted count. */
  insertEvents(runId: string, events: NewEvent[]): Promise<number>;
  insertArchived(runId: string, events: ArchivedEvent[]): Promise<number>;
  insertSnapshot(stateHash: string, blob: string, createdAt: string): Promise<boolean>;
  /**
   * The run's hot log in seq order as this writer's connection sees it (inside its open
   * transaction, too), as COPY text (string or UTF-8 bytes) in chunks of `rows` rows.
   */
  runText(runId: string, rows: number): AsyncGenerator<string | Uint8Array>;
  /** Max seq of the run over hot log and archive (the single-writer head, spec §2.3). */
  head(runId: string): Promise<number | null>;
  close(): Promise<void>;
}
