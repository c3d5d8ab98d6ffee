/**
 * One runtime writing a run into a team's Postgres store, as the live bench runs ten of them at
 * once (each its own process): the run's row, then its events at a steady rate in small
 * transactions, each event stamped with the wall clock so that a reader's lag can be measured.
 * Prints what it wrote and how long its commits took, before and after `readersAt`.
 *
 * Usage: node out/main/bench-writer.js <url> <run_id> <seconds> <events_per_s> <seed> <readers_at_epoch_ms>
 */
import pg from 'pg';
import { SyntheticRun } from '../synthetic/synthetic-run.js';
import { configureStoreFiles } from '../store/store-files.js';
import { STORE_FILES } from '../paths.js';

configureStoreFiles(STORE_FILES);

const [url, runId, seconds, rate, seed, readersAt] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url, application_name: 'bench-writer' });
await client.connect();
await client.query(`INSERT INTO runs(run_id, label, created_at, goal, frame_id) VALUES ($1, 'live', now(), 'live team bench', 'frame_001')`, [runId]);
const gen = new SyntheticRun(runId!, { seed: Number(seed) });
const commits: { at: number; ms: number }[] = [];
const start = Date.now();
const end = start + Number(seconds) * 1000;
let written = 0;
while (Date.now() < end) {
  const due = Math.floor(((Date.now() - start) / 1000) * Number(rate)) - written;
  if (due > 0) {
    const now = new Date().toISOString();
    const events = gen.next(Math.min(due, 50)).map((e) => ({ ...e, timestamp: now }));
    const values: unknown[] = [];
    const rows = events.map((e, i) => {
      values.push(e.id, e.type, e.actor, e.payload, e.frame_id, e.caused_by, e.timestamp, runId);
      return `(${Array.from({ length: 8 }, (_, k) => `$${i * 8 + k + 1}`).join(', ')})`;
    });
    const t0 = performance.now();
    await client.query('BEGIN');
    await client.query(`INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES ${rows.join(', ')}`, values);
    await client.query('COMMIT');
    commits.push({ at: Date.now(), ms: performance.now() - t0 });
    written += events.length;
  }
  await new Promise((r) => setTimeout(r, 20));
}
await client.end();
const p95 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]! : null);
const alone = commits.filter((c) => c.at < Number(readersAt)).map((c) => c.ms);
const withReaders = commits.filter((c) => c.at >= Number(readersAt)).map((c) => c.ms);
process.stdout.write(JSON.stringify({ runId, written, seconds: (Date.now() - start) / 1000, commitP95Alone: p95(alone), commitP95WithReaders: p95(withReaders) }) + '\n');
