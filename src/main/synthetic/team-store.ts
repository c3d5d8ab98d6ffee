/**
 * A team's store, as the runtimes of a whole team leave it: about ten runs written at once by
 * concurrent writers, so that each run's seqs interleave with the others' (a run is never one
 * contiguous seq range), one big run among them, and forks of finished runs (their prefix copied
 * in one block at fork time, then their own events interleaved like any other run). The same
 * rows in the same order go to a Postgres database and, if asked, a SQLite file, so a run has
 * the same seqs in both.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import { copyText } from '../store/copy-text.js';
import { POSTGRES_DDL, SQLITE_DDL } from '../store/schema.js';
import type { NewEvent } from '../store/store-writer.js';
import { countersFromLog, prng, SyntheticRun } from './synthetic-run.js';

export interface TeamStoreSpec {
  /** The big run's events (written interleaved with the others from the first event to the last). */
  bigRunEvents: number;
  /** Other runs, and their mean size (each 50-150% of it). */
  runs: number;
  runEvents: number;
  /** Runs written at once (the big one included). */
  concurrent: number;
  /** The share of the other runs that are forks of a finished run. */
  forkShare: number;
  seed: number;
}

export const BIG_TEAM_RUN = '01KTEAMBIGRUN000000000000001';

export interface TeamRun {
  run_id: string;
  parent_run_id: string | null;
  forked_at_event_id: string | null;
  events: number;
}

interface Writing {
  run: TeamRun;
  gen: SyntheticRun;
  left: number;
  /** Kept while the run may become a fork's parent. */
  log: NewEvent[] | null;
}

/** Writes the team store into `pgUrl` (an empty database) and `sqliteFile` (absent), each when given. */
export async function buildTeamStore(spec: TeamStoreSpec, pgUrl: string | null, sqliteFile: string | null, log: (s: string) => void = () => {}): Promise<TeamRun[]> {
  const rand = prng(spec.seed);
  const client = pgUrl ? new pg.Client({ connectionString: pgUrl }) : null;
  await client?.connect();
  for (const ddl of client ? POSTGRES_DDL : []) await client!.query(ddl);
  const lite = sqliteFile ? new Database(sqliteFile) : null;
  if (lite) {
    lite.pragma('journal_mode = WAL');
    lite.pragma('synchronous = OFF');
    for (const ddl of SQLITE_DDL) lite.exec(ddl);
  }
  const insertLite = lite?.prepare(`INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const runsLite = lite?.prepare(`INSERT INTO runs(run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id) VALUES (?, ?, ?, ?, ?, ?, ?)`);

  const copy = client?.query(copyFrom(`COPY events (id, type, actor, payload, frame_id, caused_by, timestamp, run_id) FROM STDIN`));
  const copied = new Promise<void>((resolve, reject) => {
    if (!copy) return resolve();
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  let pending: [string, NewEvent[]][] = [];
  let pendingRows = 0;
  let written = 0;
  const flush = async (): Promise<void> => {
    if (!pendingRows) return;
    if (lite)
      lite.transaction(() => pending.forEach(([runId, es]) => es.forEach((e) => insertLite!.run(e.id, e.type, e.actor, e.payload, e.frame_id, e.caused_by, e.timestamp, runId))))();
    const text = copy ? pending.map(([runId, es]) => copyText(es, runId)).join('') : '';
    pending = [];
    pendingRows = 0;
    if (copy && !copy.write(text)) await once(copy, 'drain');
  };
  const append = async (runId: string, events: NewEvent[]): Promise<void> => {
    pending.push([runId, events]);
    pendingRows += events.length;
    written += events.length;
    if (pendingRows >= 20_000) {
      await flush();
      log(`team store: ${written.toLocaleString('en-US')} events`);
    }
  };

  const runs: TeamRun[] = [];
  const runRows: unknown[][] = [];
  const created = (i: number) => new Date(Date.parse('2026-10-01T00:00:00Z') + i * 60_000).toISOString();
  const finished: Writing[] = [];
  let started = 0;
  const start = async (runId: string, events: number, big = false): Promise<Writing> => {
    const parent = !big && finished.length > 0 && rand() < spec.forkShare ? finished[Math.floor(rand() * finished.length)]! : null;
    const run: TeamRun = { run_id: runId, parent_run_id: null, forked_at_event_id: null, events };
    let gen: SyntheticRun;
    if (parent?.log && parent.log.length > 10) {
      // A fork: the parent's prefix up to the fork point, copied in one block now, as fork does.
      const cut = 1 + Math.floor(rand() * (parent.log.length - 1));
      const prefix = parent.log.slice(0, cut);
      run.parent_run_id = parent.run.run_id;
      run.forked_at_event_id = prefix[prefix.length - 1]!.id;
      await append(runId, prefix);
      gen = new SyntheticRun(runId, { seed: spec.seed * 7919 + started, counters: countersFromLog(prefix), startTime: prefix[prefix.length - 1]!.timestamp });
      run.events = events + prefix.length;
    } else gen = new SyntheticRun(runId, { seed: spec.seed * 7919 + started, startTime: created(started) });
    runs.push(run);
    runRows.push([runId, run.parent_run_id, run.forked_at_event_id, big ? 'big' : null, created(started), 'team store', 'frame_001']);
    started++;
    return { run, gen, left: events, log: big ? null : [] };
  };

  const sizes = Array.from({ length: spec.runs }, () => Math.max(20, Math.round(spec.runEvents * (0.5 + rand()))));
  const queue = sizes.map((n, i) => ({ id: `01KTEAMRUN${String(i).padStart(16, '0')}`, n }));
  const slots: Writing[] = [await start(BIG_TEAM_RUN, spec.bigRunEvents, true)];
  while (slots.length < spec.concurrent && queue.length) {
    const q = queue.shift()!;
    slots.push(await start(q.id, q.n));
  }
  // Round-robin over the writers, each appending a few events (1-60) at a time, as concurrent
  // runtimes do; a finished run's slot takes the next run.
  while (slots.length) {
    for (let i = 0; i < slots.length; i++) {
      const w = slots[i]!;
      const events = w.gen.next(Math.min(w.left, 1 + Math.floor(rand() * 60)));
      w.left -= events.length;
      w.log?.push(...events);
      await append(w.run.run_id, events);
      if (w.left > 0) continue;
      if (w.log) {
        finished.push(w);
        if (finished.length > 16) finished.shift()!.log = null; // recent runs only may be forked
      }
      const q = queue.shift();
      if (q) slots[i] = await start(q.id, q.n);
      else slots.splice(i--, 1);
    }
  }
  await flush();
  copy?.end();
  await copied;
  lite?.transaction(() => runRows.forEach((row) => runsLite!.run(...row)))();
  lite?.prepare(`INSERT INTO meta(key, value) VALUES ('schema_version', '1')`).run();
  if (client) {
    for (const row of runRows)
      await client.query(`INSERT INTO runs(run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, row);
    await client.query(`INSERT INTO meta(key, value) VALUES ('schema_version', '1')`);
    await client.query('ANALYZE');
    await client.end();
  }
  if (lite) {
    lite.pragma('wal_checkpoint(TRUNCATE)');
    lite.close();
  }
  return runs;
}
