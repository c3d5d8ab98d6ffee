import Database from 'better-sqlite3';

/** Appends one object creation the way Active Graph's runtime does (WAL, one transaction). */
export function appendObject(file: string, runId: string, id: string, objectId: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.prepare('INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    'object.created',
    'writer',
    `{"object": {"id": "${objectId}", "type": "note", "data": {"text": "appended"}, "version": 1}}`,
    null,
    null,
    '2026-12-02T00:00:00Z',
    runId,
  );
  db.close();
}
