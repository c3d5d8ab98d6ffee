/**
 * Whether a fork or migration may write into an existing database. Active Graph's DDL is
 * "create if not exists": run against another application's database it would add our tables to
 * it (and switch a SQLite file to WAL), or half-fit a foreign table of the same name. So before
 * any PRAGMA or DDL, a destination must be absent, empty, or already an Active Graph store.
 */
import { ExitCode, InspectorError } from '../base/errors.js';
import { REQUIRED_COLUMNS } from './schema.js';

/** Every table Active Graph's DDL creates, with the columns it must have. */
const OUR_TABLES: Record<string, string[]> = {
  ...REQUIRED_COLUMNS,
  events_archive: ['seq', 'id', 'type', 'actor', 'payload', 'frame_id', 'caused_by', 'timestamp', 'run_id', 'archived_at'],
  snapshots: ['state_hash', 'blob', 'created_at'],
};

/** File names that say "this is a database": an empty file so named may become a store. */
export const STORE_FILE_NAME = /\.(db|db3|sqlite|sqlite3)$/i;

/**
 * Why the database with this schema (table → columns) must not be written, or null when it may.
 * `othersAllowed`: unrelated tables may stay beside ours (a Postgres database is shared by
 * design; a SQLite file belongs to one application).
 */
export function destinationProblem(schema: Map<string, string[]>, othersAllowed: boolean): string | null {
  const ours = [...schema.keys()].filter((t) => t in OUR_TABLES);
  for (const table of ours) {
    const have = new Set(schema.get(table));
    const missing = OUR_TABLES[table]!.filter((c) => !have.has(c));
    if (missing.length) return `it has a table named ${table} that is not Active Graph's (it lacks the columns ${missing.join(', ')})`;
  }
  if (ours.length > 0 && !(schema.has('events') && schema.has('runs'))) return `it has ${ours.join(', ')} but no Active Graph event log (events and runs)`;
  if (ours.length === 0 && schema.size > 0 && !othersAllowed) {
    return `it is another application's database (${schema.size} table${schema.size === 1 ? '' : 's'}, none of them Active Graph's)`;
  }
  return null;
}

export function destinationRefused(url: string, reason: string): InspectorError {
  return new InspectorError('DestinationRefusedError', {
    summary: `${url} is not a store Run Inspector may write to`,
    whatFailed: `Writing to ${url} was refused before anything was changed: ${reason}.`,
    why: "A fork or migration creates Active Graph's tables in its destination. Doing that to a file or database that belongs to something else would change it (new tables, a different journal mode) and could break the application that owns it.",
    howToFix:
      'Name a destination that does not exist yet (it is created), an existing Active Graph store, or an empty database:\n    sqlite:///path/to/new-store.db\n    postgres://host/new_database',
    context: { url, reason },
    slug: 'destination-refused-error',
    exitCode: ExitCode.corruption,
  });
}
