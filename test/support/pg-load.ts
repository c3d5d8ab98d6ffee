/**
 * Loads a SQLite fixture's rows verbatim into a Postgres database with Active Graph's Postgres
 * schema (raw SQL, independent of the engine's writers, meta copied as is).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { POSTGRES_DDL } from '../../src/main/store/schema.js';

export async function loadSqliteIntoPostgres(sqliteFile: string, pgUrl: string): Promise<void> {
  // Read a copy: opening the shared fixture itself would leave -wal/-shm files beside it.
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pgload-')), path.basename(sqliteFile));
  fs.copyFileSync(sqliteFile, copy);
  const src = new Database(copy, { readonly: true });
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const ddl of POSTGRES_DDL) await client.query(ddl);
    for (const m of src.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[])
      await client.query('INSERT INTO meta(key, value) VALUES ($1, $2)', [m.key, m.value]);
    for (const r of src.prepare('SELECT * FROM runs ORDER BY rowid').all() as Record<string, unknown>[]) {
      await client.query('INSERT INTO runs(run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
        r.run_id,
        r.parent_run_id,
        r.forked_at_event_id,
        r.label,
        r.created_at,
        r.goal,
        r.frame_id,
      ]);
    }
    for (const e of src.prepare('SELECT * FROM events ORDER BY seq').all() as Record<string, unknown>[]) {
      await client.query('INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES ($1,$2,$3,$4::jsonb,$5,$6,$7,$8)', [
        e.id,
        e.type,
        e.actor,
        e.payload,
        e.frame_id,
        e.caused_by,
        e.timestamp,
        e.run_id,
      ]);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
    src.close();
  }
}
