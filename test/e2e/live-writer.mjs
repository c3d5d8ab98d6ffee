// Another process writing a run, the way Active Graph's runtime does: WAL mode, one
// BEGIN IMMEDIATE transaction per append, ids continuing after the run's highest.
// Usage: node live-writer.mjs <db> <run_id> <batches> <interval_ms>
import Database from 'better-sqlite3';

const [file, runId, batches = '5', interval = '300'] = process.argv.slice(2);
const db = new Database(file);
db.pragma('journal_mode = WAL');
const maxId = () =>
  Math.max(
    0,
    ...db
      .prepare('SELECT id FROM events WHERE run_id = ?')
      .pluck()
      .all(runId)
      .map((id) => Number(/(\d+)$/.exec(id)?.[1] ?? 0)),
  );
const insert = db.prepare('INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
for (let b = 0; b < Number(batches); b++) {
  db.transaction(() => {
    const n = maxId() + 1;
    const id = `evt_${String(n).padStart(3, '0')}`;
    const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    insert.run(
      id,
      'goal.created',
      'user',
      JSON.stringify({ goal: `live goal ${b}` })
        .replace(/":/g, '": ')
        .replace(/,"/g, ', "'),
      'frame_001',
      null,
      ts,
      runId,
    );
    insert.run(
      `evt_${String(n + 1).padStart(3, '0')}`,
      'runtime.idle',
      'runtime',
      '{"snapshot": {"used": {}, "limits": {}, "cost_used_usd": "0", "cost_limit_usd": null}}',
      'frame_001',
      null,
      ts,
      runId,
    );
  }).immediate();
  await new Promise((r) => setTimeout(r, Number(interval)));
}
db.close();
