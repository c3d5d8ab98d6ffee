/** Active Graph's store DDL (spec §2.1, §3), used only on stores we were asked to write. */

export const SCHEMA_VERSION = '1';

/** The archive tier and snapshot blobs (spec §2.1), the same text on both drivers but for the seq's type. */
function archiveDdl(seq: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS events_archive (
    seq ${seq},
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    actor TEXT,
    payload TEXT NOT NULL,
    frame_id TEXT,
    caused_by TEXT,
    timestamp TEXT NOT NULL,
    run_id TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    UNIQUE(id, run_id)
  )`,
    `CREATE INDEX IF NOT EXISTS idx_archive_run ON events_archive(run_id, seq)`,
    `CREATE TABLE IF NOT EXISTS snapshots (state_hash TEXT PRIMARY KEY, blob TEXT NOT NULL, created_at TEXT NOT NULL)`,
  ];
}

export const SQLITE_DDL = [
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    actor TEXT,
    payload TEXT NOT NULL,
    frame_id TEXT,
    caused_by TEXT,
    timestamp TEXT NOT NULL,
    run_id TEXT NOT NULL,
    UNIQUE(id, run_id)
  )`,
  `CREATE INDEX IF NOT EXISTS idx_events_run ON events(run_id, seq)`,
  `CREATE INDEX IF NOT EXISTS idx_events_type ON events(type)`,
  `CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    parent_run_id TEXT,
    forked_at_event_id TEXT,
    label TEXT,
    created_at TEXT NOT NULL,
    goal TEXT,
    frame_id TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ...archiveDdl('INTEGER'),
];

export const POSTGRES_DDL = [
  `CREATE TABLE IF NOT EXISTS events (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    actor TEXT,
    payload JSONB NOT NULL,
    frame_id TEXT,
    caused_by TEXT,
    timestamp TIMESTAMPTZ NOT NULL,
    run_id TEXT NOT NULL,
    UNIQUE(id, run_id)
  )`,
  `CREATE INDEX IF NOT EXISTS idx_events_run ON events(run_id, seq)`,
  `CREATE INDEX IF NOT EXISTS idx_events_type ON events(type)`,
  `CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    parent_run_id TEXT,
    forked_at_event_id TEXT,
    label TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    goal TEXT,
    frame_id TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/**
 * Run Inspector's extension of the Postgres schema: Active Graph's Postgres store has no archive
 * tier or snapshots (spec §3), so a compacted run migrated there could not be replayed. These two
 * tables carry them (payload and blob as exact text, so snapshot hashes still verify). Active Graph
 * ignores tables it does not know.
 */
export const POSTGRES_ARCHIVE_DDL = archiveDdl('BIGINT');

/** Columns every Active Graph store must have; checked when a destination already exists. */
export const REQUIRED_COLUMNS: Record<string, string[]> = {
  events: ['seq', 'id', 'type', 'actor', 'payload', 'frame_id', 'caused_by', 'timestamp', 'run_id'],
  runs: ['run_id', 'parent_run_id', 'forked_at_event_id', 'label', 'created_at', 'goal', 'frame_id'],
  meta: ['key', 'value'],
};
